from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.models.files import StoredFile
from accounts.workflow import (
    CHANGE_OPEN,
    ORGANIZATION_TRANSITIONS,
    ChangeStatus,
    OrganizationStatus,
)


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organisation")
    OTHER = "other", _("Other")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence", _("Foreign permanent resident ID card")
    OTHER = "other", _("Other")


def _t(name: str) -> dict[str, Any]:
    spec = ORGANIZATION_TRANSITIONS[name]
    return {"source": list(spec.sources), "target": spec.target}


class Organization(ConcurrentTransitionMixin, models.Model):
    """A provider entity (主体). Its province's office reviews it; approval gives the entity ID."""

    name = models.CharField(_("entity name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    entity_type = models.CharField(_("entity type"), max_length=32, choices=EntityType.choices, blank=True)
    registered_division_code = models.CharField(_("registered division code"), max_length=6, blank=True)
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    office = models.ForeignKey(
        "accounts.RegulatorOffice",
        verbose_name=_("reviewing office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    address = models.CharField(_("detailed address"), max_length=300, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    monthly_active_users = models.PositiveBigIntegerField(_("monthly active users"), null=True, blank=True)

    legal_rep_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    legal_rep_id_type = models.CharField(_("ID type"), max_length=32, choices=IdType.choices, blank=True)
    legal_rep_id_number = models.CharField(_("ID number"), max_length=32, blank=True)

    security_officer_name = models.CharField(_("algorithm security officer"), max_length=100, blank=True)
    security_officer_id_type = models.CharField(_("ID type"), max_length=32, choices=IdType.choices, blank=True)
    security_officer_id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    security_officer_mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    security_officer_email = models.EmailField(_("e-mail"), blank=True)

    status = FSMField(
        _("status"), max_length=16, choices=OrganizationStatus.choices, default=OrganizationStatus.DRAFT, protected=True
    )
    entity_id = models.CharField(_("entity ID"), max_length=7, unique=True, null=True, blank=True)
    # Known only from lists CAC published before this system (no USCC yet) until its provider claims it.
    imported = models.BooleanField(_("imported"), default=False)
    # A registration may claim an imported entity by one of its published numbers; approved, it moves
    # into that entity (which keeps its entity ID and filings) and is retired (``merged_into``).
    claim_number = models.CharField(_("claims the entity of filing number"), max_length=40, blank=True)
    claims = models.ForeignKey(
        "self",
        verbose_name=_("claims"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_made",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="organization", editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    return_reasons = models.TextField(_("reasons for return"), blank=True)
    return_item_reasons = models.JSONField(_("reasons per item"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("submit_organization", "Can submit the organisation for review"),
            ("administer_organization", "Can manage the organisation's members"),
            ("review_organization", "Can decide on the organisation's review task"),
            ("file_algorithms", "Can file algorithms for the organisation"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="organization_uscc_unique"),
            # One claim of an entity under review at a time (a returned one does not block another).
            models.UniqueConstraint(
                fields=["claims"],
                condition=Q(status="submitted"),
                name="organization_one_open_claim",
            ),
        ]
        indexes = [
            # Regulator lists and supervisor counts filter by office and status.
            models.Index(fields=["office", "status"], name="org_office_status"),
            models.Index(fields=["province_code", "status"], name="org_province_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @transition(field=status, **_t("submit"))
    def submit(self) -> None:
        """Sent for review (again, after a correction)."""

    @transition(field=status, **_t("approve"))
    def approve(self) -> None:
        """Approved by the reviewing office."""

    @transition(field=status, **_t("return_for_correction"))
    def return_for_correction(self) -> None:
        """Returned to the provider for correction (补正)."""

    @property
    def is_approved(self) -> bool:
        return bool(self.status == OrganizationStatus.APPROVED)


class AttachmentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    COMMITMENT_LETTER = "commitment_letter", _("Filing commitment letter")


class OrganizationAttachment(StoredFile):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AttachmentKind.choices)

    class Meta:
        verbose_name = _("organisation document")
        verbose_name_plural = _("organisation documents")
        indexes = [models.Index(fields=["organization", "kind", "-created_at"], name="org_attachment_latest")]

    def __str__(self) -> str:
        return self.original_name


class OrganizationChange(models.Model):
    """A change to an approved organisation's registered details, reviewed before it takes effect."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED)
    proposed = models.JSONField(_("proposed values"))
    previous = models.JSONField(_("values before the change"))
    summary = models.TextField(_("summary of the change"))
    change_date = models.DateField(_("date of the change"))
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("organisation change")
        verbose_name_plural = _("organisation changes")
        ordering = ["-submitted_at"]
        constraints = [
            # One change at a time: a second would be reviewed against stale "previous" values.
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=sorted(CHANGE_OPEN)),
                name="organization_one_open_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.submitted_at:%Y-%m-%d})"


class Invitation(models.Model):
    """An invitation to join an organisation. Only the SHA-256 of the token is stored."""

    class Role(models.TextChoices):
        PROVIDER_ADMIN = "provider_admin", _("Administrator")
        PROVIDER_MEMBER = "provider_member", _("Member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.PROVIDER_MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organization", "accepted_at"], name="invitation_org_open")]

    def __str__(self) -> str:
        return self.email
