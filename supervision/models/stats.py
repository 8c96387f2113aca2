from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingCount(models.Model):
    """How many filings are in each (province, tier, status, type): the dashboard's main matrix.

    Kept exact by statement-level triggers on the filings table (migration ``0011``): every insert,
    update or delete adds its differences in one statement, so the dashboard never counts a million
    rows. Tier 0 means not classified (drafts, imported filings).
    """

    province_code = models.CharField(max_length=2)
    tier = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)
    algorithm_type = models.CharField(max_length=32)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "tier", "status", "algorithm_type"], name="filing_count_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_code}/T{self.tier}/{self.status}/{self.algorithm_type}: {self.n}"


class StatsSnapshot(models.Model):
    """The review figures of one scope (a province, or ``CN`` for the country), refreshed every few
    minutes by a sweep so that the dashboard reads one row; ``day`` rows are kept for the trends."""

    scope = models.CharField(_("scope"), max_length=2)
    day = models.DateField(_("day"))
    taken_at = models.DateTimeField(_("taken at"))
    data = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        constraints = [models.UniqueConstraint(fields=["scope", "day"], name="stats_snapshot_day")]
        indexes = [models.Index(fields=["scope", "-day"], name="stats_snapshot_recent")]

    def __str__(self) -> str:
        return f"{self.scope} {self.day}"
