from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filings.models.filings import Filing, FilingAttachment
from filings.workflow import OPEN_REASSESSMENT_STATUSES, ReassessmentReason, ReassessmentStatus


class Reassessment(models.Model):
    """A re-assessment case (定期重新评估) of a filed algorithm.

    Opened by the periodic sweep or when the filing's tier rises above the tier it was reviewed at; the
    provider uploads an updated self-assessment by ``due`` and the office reviews it at ``tier``.
    """

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="reassessments")
    status = models.CharField(
        _("status"), max_length=16, choices=ReassessmentStatus.choices, default=ReassessmentStatus.OPEN
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReassessmentReason.choices)
    # The tier the review runs at: the filing's tier when the case was opened (or submitted).
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)
    due = models.DateField(_("due"))
    due_provisional = models.BooleanField(_("provisional deadline"), default=False)
    # The due date passed while the provider had to act; stays true as a record after submission.
    late = models.BooleanField(_("overdue"), default=False)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    report = models.ForeignKey(
        FilingAttachment,
        verbose_name=_("updated self-assessment report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    statement = models.TextField(_("statement"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("re-assessment")
        verbose_name_plural = _("re-assessments")
        constraints = [
            # One open case per filing: the opening sweep relies on it to be idempotent.
            models.UniqueConstraint(
                fields=["filing"],
                condition=Q(status__in=sorted(OPEN_REASSESSMENT_STATUSES)),
                name="reassessment_one_open_per_filing",
            ),
        ]
        indexes = [
            models.Index(fields=["due"], name="reassessment_awaiting", condition=Q(status__in=["open", "returned"])),
        ]

    def __str__(self) -> str:
        return f"{self.filing} ({self.get_reason_display()})"
