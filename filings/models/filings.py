from __future__ import annotations

from typing import Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models import StoredFile
from filings.workflow import (
    FILING_TRANSITIONS,
    OPEN_CANCELLATION_STATUSES,
    OPEN_VERSION_STATUSES,
    AlgorithmType,
    AttachmentKind,
    CancellationStatus,
    FilingKind,
    FilingStatus,
    Role,
    VersionStatus,
)


def _t(name: str) -> dict[str, Any]:
    spec = FILING_TRANSITIONS[name]
    return {"source": list(spec.sources), "target": spec.target}


class Filing(ConcurrentTransitionMixin, models.Model):
    """One algorithm's filing: its identity, state, number and deadlines.

    What was filed lives in its versions; the name, type and role are copied here from the latest
    version so that lists and filters never read the versions' JSON.
    """

    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="filings"
    )
    province_code = models.CharField(_("province code"), max_length=2)
    kind = models.CharField(_("kind"), max_length=32, choices=FilingKind.choices, default=FilingKind.ALGORITHM)
    status = FSMField(
        _("status"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT, protected=True
    )
    name = models.CharField(_("algorithm name"), max_length=200, blank=True)
    name_normalized = models.CharField(max_length=200, blank=True, editable=False)
    algorithm_type = models.CharField(_("algorithm type"), max_length=32, choices=AlgorithmType.choices, blank=True)
    filtering = models.BooleanField(_("content filtering"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, unique=True, null=True, blank=True)
    # Loaded from a list CAC had already published (manage.py import_published_lists), not filed here.
    imported = models.BooleanField(_("imported"), default=False)
    # Art. 23 tiering inputs, copied from the submitted version so that classification (and a
    # preview of a new policy over every filing) is one SQL expression, not a read of each version.
    public_opinion = models.BooleanField(_("public-opinion attribute"), null=True, blank=True)
    content_category = models.CharField(_("content category"), max_length=32, blank=True)
    monthly_active_users = models.PositiveBigIntegerField(_("monthly active users"), null=True, blank=True)
    data_importance = models.CharField(_("data importance"), max_length=16, blank=True)
    intervention_level = models.CharField(_("intervention"), max_length=16, blank=True)
    # ``tier`` is what applies: the reviewer's override if there is one, else the policy's tier.
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)
    policy_tier = models.PositiveSmallIntegerField(_("tier by policy"), null=True, blank=True)
    tier_policy_version = models.PositiveIntegerField(_("tier policy version"), null=True, blank=True)
    tier_explanation = models.JSONField(_("tier explanation"), default=dict, blank=True)
    tier_override = models.PositiveSmallIntegerField(_("tier set by a reviewer"), null=True, blank=True)
    tier_override_reason = models.TextField(_("reason for the tier override"), blank=True)
    tier_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tier_override_at = models.DateTimeField(null=True, blank=True)
    # The regulator's 30-working-day clock stops while the provider corrects (补正).
    clock_paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    clock_remaining_days = models.PositiveSmallIntegerField(_("working days left on the clock"), null=True, blank=True)
    correction_due = models.DateField(_("correction due"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    filing_due = models.DateField(_("filing due"), null=True, blank=True)
    filing_late = models.BooleanField(_("filed late"), default=False)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    # Per date: provisional when its year's holiday calendar is not known yet (weekends only).
    filing_due_provisional = models.BooleanField(default=False)
    decision_due_provisional = models.BooleanField(default=False)
    deadline_provisional = models.BooleanField(_("provisional deadline"), default=False)
    # The tier of the last review that accepted the filing (first filing, material change or
    # re-assessment). A tier above it means the filing has not been reviewed at its tier yet.
    reviewed_tier = models.PositiveSmallIntegerField(_("tier last reviewed at"), null=True, blank=True)
    # Periodic re-assessment (定期重新评估): the last accepted assessment and the next one's date,
    # which a sweep keeps in step with the tier and the interval policy.
    assessed_at = models.DateField(_("last assessed"), null=True, blank=True)
    reassessment_due = models.DateField(_("next re-assessment"), null=True, blank=True)
    reassessment_overdue = models.BooleanField(_("re-assessment overdue"), default=False)
    # The provider reported the service ends (or ended): the cancellation is due 20 working days later.
    service_end_date = models.DateField(_("date the service ends"), null=True, blank=True)
    cancellation_due = models.DateField(_("cancellation due"), null=True, blank=True)
    return_reasons = models.TextField(_("reasons for return"), blank=True)
    return_item_reasons = models.JSONField(_("reasons per item"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        permissions = [("review_filing", "Can decide on the filing's review task")]
        indexes = [
            models.Index(fields=["organization", "-id"], name="filing_org_recent"),
            models.Index(fields=["province_code", "status", "-id"], name="filing_province_status"),
            models.Index(fields=["status", "-id"], name="filing_status"),
            models.Index(fields=["organization", "name_normalized"], name="filing_org_name"),
            models.Index(fields=["tier", "status"], name="filing_tier_status"),
            # The daily sweeps read only filed algorithms with a date set.
            models.Index(
                fields=["reassessment_due"],
                name="filing_reassessment_due",
                condition=Q(status__in=["approved", "published"], reassessment_due__isnull=False),
            ),
            models.Index(
                fields=["cancellation_due"],
                name="filing_cancellation_due",
                condition=Q(status__in=["approved", "published"], cancellation_due__isnull=False),
            ),
            models.Index(fields=["-id"], name="filing_reassessment_overdue", condition=Q(reassessment_overdue=True)),
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    @transition(field=status, **_t("submit"))
    def submit(self) -> None:
        """Sent to the provincial office (again, after a correction)."""

    @transition(field=status, **_t("start_review"))
    def start_review(self) -> None:
        """A reviewer took it up."""

    @transition(field=status, **_t("approve"))
    def approve(self) -> None:
        """Filed (予以备案): the filing number is issued."""

    @transition(field=status, **_t("return_for_correction"))
    def return_for_correction(self) -> None:
        """Returned for correction (补正)."""

    @transition(field=status, **_t("reject"))
    def reject(self) -> None:
        """Not filed (不予备案), with reasons."""

    @transition(field=status, **_t("withdraw"))
    def withdraw(self) -> None:
        """Withdrawn by the provider before a decision."""

    @transition(field=status, **_t("publish"))
    def publish(self) -> None:
        """Listed in a published batch (公示)."""

    @transition(field=status, **_t("cancel"))
    def cancel(self) -> None:
        """Cancelled (注销) on the provider's request or by the regulator."""

    @transition(field=status, **_t("revoke"))
    def revoke(self) -> None:
        """Revoked (撤销) by the regulator."""

    @property
    def category_code(self) -> str:
        from filings.numbers import category_code

        return category_code(self.algorithm_type, self.filtering)


class FilingVersionPurpose(models.TextChoices):
    INITIAL = "initial", _("Initial filing")
    CHANGE = "change", _("Change")


class FilingVersion(models.Model):
    """What was filed, frozen at submission: every field, and the documents by their SHA-256.

    While ``frozen`` the content cannot change: a database trigger refuses it.
    """

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=FilingVersionPurpose.choices)
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    data = models.JSONField(_("content"), default=dict)
    attachments = models.JSONField(_("documents"), default=dict, blank=True)
    frozen = models.BooleanField(_("frozen"), default=False)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    material = models.BooleanField(_("material change"), null=True, blank=True)
    change_date = models.DateField(_("date of the change"), null=True, blank=True)
    change_summary = models.TextField(_("summary of the change"), blank=True)
    change_due = models.DateField(_("change due"), null=True, blank=True)
    change_late = models.BooleanField(_("filed late"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("filing version")
        verbose_name_plural = _("filing versions")
        ordering = ["filing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["filing"],
                condition=Q(status__in=sorted(OPEN_VERSION_STATUSES)),
                name="version_one_open_per_filing",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="version_frozen_content",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__frozen=True)
                & (
                    pgtrigger.Q(new__data__df=pgtrigger.F("old__data"))
                    | pgtrigger.Q(new__attachments__df=pgtrigger.F("old__attachments"))
                    | pgtrigger.Q(new__content_hash__df=pgtrigger.F("old__content_hash"))
                    | pgtrigger.Q(new__frozen__df=pgtrigger.F("old__frozen"))
                ),
            ),
            pgtrigger.Protect(name="version_never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.filing} v{self.number}"


class FilingAttachment(StoredFile):
    """A document of a filing. Rows are never changed or deleted: versions refer to them by SHA-256."""

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=AttachmentKind.choices)

    class Meta:
        verbose_name = _("filing document")
        verbose_name_plural = _("filing documents")
        indexes = [models.Index(fields=["filing", "kind", "-id"], name="filing_attachment_latest")]

    def __str__(self) -> str:
        return self.original_name


class FilingCancellation(models.Model):
    """A provider's application to cancel (注销) a filing after terminating the service."""

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="cancellations")
    status = models.CharField(
        _("status"), max_length=16, choices=CancellationStatus.choices, default=CancellationStatus.SUBMITTED
    )
    termination_date = models.DateField(_("date the service ended"))
    arrangements = models.TextField(_("arrangements made"))
    due = models.DateField(_("cancellation due"))
    late = models.BooleanField(_("filed late"), default=False)
    due_provisional = models.BooleanField(_("provisional deadline"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("cancellation request")
        verbose_name_plural = _("cancellation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["filing"],
                condition=Q(status__in=sorted(OPEN_CANCELLATION_STATUSES)),
                name="cancellation_one_open_per_filing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing} ({self.termination_date})"
