from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TierPolicy(models.Model):
    """A version of this system's tiering policy (Art. 23 factors -> points -> tier, with floors).

    The default is this system's own, not an official CAC scheme. A version takes effect on its date;
    earlier versions stay, so every filing's tier can be explained by the version that set it.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    points = models.JSONField(_("points per factor"))
    thresholds = models.JSONField(_("minimum points of tiers 2, 3 and 4"))
    floors = models.JSONField(_("floors"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("tier policy")
        verbose_name_plural = _("tier policies")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class StageDefinition(models.Model):
    """One stage of review for a tier: the workflow reads these rows, in ``order``."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial office")
        CENTRAL = "central", _("Central office")

    tier = models.PositiveSmallIntegerField(_("tier"))
    order = models.PositiveSmallIntegerField(_("order"))
    stage = models.CharField(_("stage"), max_length=32)
    level = models.CharField(_("office"), max_length=16, choices=Level.choices)
    working_days = models.PositiveSmallIntegerField(_("internal deadline (working days)"))
    final = models.BooleanField(_("decides"), default=False)
    senior_only = models.BooleanField(_("senior reviewers only"), default=False)
    required_votes = models.PositiveSmallIntegerField(_("approvals needed"), default=1)

    class Meta:
        ordering = ["tier", "order"]
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")
        constraints = [
            models.UniqueConstraint(fields=["tier", "order"], name="stage_order_unique"),
            models.UniqueConstraint(fields=["tier"], condition=Q(final=True), name="stage_one_final_per_tier"),
        ]

    def __str__(self) -> str:
        return f"T{self.tier}.{self.order} {self.stage}"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they must not review an organisation; they are never assigned it."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "organization"], name="conflict_once"),
        ]
        indexes = [models.Index(fields=["organization", "reviewer"], name="conflict_organization")]

    def __str__(self) -> str:
        return f"{self.reviewer_id} × {self.organization_id}"


class ReassessmentInterval(models.Model):
    """How often a filing of a tier is re-assessed (定期重新评估); no row or no months: never."""

    tier = models.PositiveSmallIntegerField(_("tier"), unique=True)
    # At least a month: 0 would make every approval due again the next morning.
    months = models.PositiveSmallIntegerField(
        _("interval (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["tier"]
        verbose_name = _("re-assessment interval")
        verbose_name_plural = _("re-assessment intervals")
        constraints = [
            models.CheckConstraint(condition=Q(months__isnull=True) | Q(months__gte=1), name="interval_months_positive")
        ]

    def __str__(self) -> str:
        return f"T{self.tier}: {self.months or '-'}"
