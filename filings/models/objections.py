from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from filings.models.filings import Filing


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection (异议) a member of the public raised against a published filing.

    It becomes a task in the responsible office's queue with its own deadline; the outcome is recorded.
    Only what the objector chose to give is kept (no address, no account).
    """

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="objections")
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.SUBMITTED
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=200)
    text = models.TextField(_("objection"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["filing", "-id"], name="objection_filing")]

    def __str__(self) -> str:
        return f"{self.filing} #{self.pk}"
