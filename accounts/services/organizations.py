"""The entity (主体) filing: a provider drafts and submits; its province's office decides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts import signals
from accounts.errors import ActionForbidden, Conflict, StaleVersion, ValidationFailed
from accounts.models import (
    AuditEvent,
    Organization,
    OrganizationAttachment,
    OrganizationStatus,
    RegulatorOffice,
    User,
)
from accounts.roles import Role, forget_roles, is_regulator
from accounts.services.audit import audit_record
from accounts.services.claims import claim_check, claim_merge, claim_resolve
from accounts.services.files import discard_file, inspect_upload, store_file
from accounts.services.locks import lock_organization
from accounts.services.notifications import notify
from accounts.services.organization_fields import clean_organization_data, organization_missing_items
from accounts.services.permissions import REVIEW_PERMISSION, member_join, organization_group_create
from accounts.workflow import ORGANIZATION_EDITABLE

SUBJECT = "organization"


_lock = lock_organization


def _derive_location(cleaned: dict[str, Any]) -> None:
    """The registered division decides the province and so the reviewing office."""
    code = cleaned.get("registered_division_code")
    if code is None:
        return
    cleaned["province_code"] = code[:2] if code else ""
    cleaned["office"] = RegulatorOffice.objects.filter(province_code=code[:2]).first() if code else None


def _check_uscc_free(uscc: str | None, *, exclude_id: int | None = None) -> None:
    if not uscc:
        return
    taken = Organization.objects.filter(uscc=uscc).exclude(id=exclude_id).exists()
    if taken:
        raise ValidationFailed(
            {"uscc": [_("An organisation with this unified social credit code is already registered.")]}
        )


def _check_can_edit(organization: Organization, actor: User) -> None:
    if not actor.has_perm("accounts.change_organization", organization):
        raise ActionForbidden(_("You may not edit this organisation."))
    if organization.status not in ORGANIZATION_EDITABLE:
        raise Conflict(
            _("The organisation cannot be edited while it is %(status)s.")
            % {"status": organization.get_status_display()}
        )


def _record(organization: Organization, action: str, actor: User, from_state: str = "", **extra: Any) -> AuditEvent:
    """Save the organisation (its version bumped) and append the audit event of the change."""
    organization.version += 1
    organization.save()
    return audit_record(
        action=action,
        subject_type=SUBJECT,
        subject_id=organization.pk,
        actor=actor,
        organization=organization,
        from_state=from_state,
        to_state=organization.status if from_state else "",
        **extra,
    )


def _tell_members(
    organization: Organization, event: AuditEvent, subject: Promise, body: Promise, **params: Any
) -> None:
    notify(
        recipients=organization.members.all(),
        subject=subject,
        body=body,
        params={"name": organization.name, "office": organization.office, **params},
        link="/organization/",
        event=event,
    )


def organization_create(*, actor: User, data: Mapping[str, Any]) -> Organization:
    """Create a draft organisation; its creator becomes its first administrator."""
    if actor.organization_id is not None:
        raise Conflict(_("You already belong to an organisation."))
    if actor.office_id is not None or is_regulator(actor):
        raise ActionForbidden(_("Regulator staff cannot register an organisation."))
    cleaned = clean_organization_data(data)
    if not cleaned.get("name"):
        raise ValidationFailed({"name": [_("Enter the entity's name.")]})
    _check_uscc_free(cleaned.get("uscc"))
    claim_resolve(cleaned)
    _derive_location(cleaned)
    with transaction.atomic():
        # Locking the user row stops a double click from creating two organisations.
        locked = User.objects.select_for_update().get(id=actor.pk)
        if locked.organization_id is not None:
            raise Conflict(_("You already belong to an organisation."))
        organization = Organization.objects.create(created_by=locked, **cleaned)
        organization.group = organization_group_create(organization)
        organization.save(update_fields=["group"])
        member_join(organization=organization, user=locked, role=Role.PROVIDER_ADMIN)
        audit_record(
            action="organization.created",
            subject_type=SUBJECT,
            subject_id=organization.pk,
            actor=locked,
            organization=organization,
            to_state=organization.status,
        )
    actor.organization = organization
    forget_roles(actor)
    return organization


def organization_update(
    *, organization_id: int, actor: User, data: Mapping[str, Any], expected_version: int | None = None
) -> Organization:
    """Save fields of a draft or returned organisation. Fields not given keep their value."""
    with transaction.atomic():
        organization = _lock(organization_id)
        _check_can_edit(organization, actor)
        if expected_version is not None and expected_version != organization.version:
            raise StaleVersion(
                _("This organisation was changed by someone else since you opened it. Reload it and try again.")
            )
        cleaned = clean_organization_data(data, current=organization)
        _check_uscc_free(cleaned.get("uscc"), exclude_id=organization.pk)
        claim_resolve(cleaned)
        if cleaned.get("name") == "" and "name" in cleaned:
            raise ValidationFailed({"name": [_("Enter the entity's name.")]})
        _derive_location(cleaned)
        changed = sorted(f for f, v in cleaned.items() if f != "office" and getattr(organization, f) != v)
        for field, value in cleaned.items():
            setattr(organization, field, value)
        _record(organization, "organization.updated", actor, payload={"fields": changed})
    return organization


def organization_attachment_add(*, organization_id: int, actor: User, kind: str, upload: Any) -> OrganizationAttachment:
    """Check the document's content, then store it with its SHA-256. A rejected file leaves nothing."""
    from accounts.models import AttachmentKind

    if kind not in AttachmentKind.values:
        raise ValidationFailed({"kind": [_("Choose the kind of document.")]})
    inspected = inspect_upload(upload)
    with transaction.atomic():
        organization = _lock(organization_id)
        _check_can_edit(organization, actor)
        attachment = store_file(
            OrganizationAttachment(organization=organization, kind=kind, uploaded_by=actor), inspected
        )
        try:
            Organization.objects.filter(id=organization.pk).update(version=F("version") + 1)
            audit_record(
                action="organization.attachment_added",
                subject_type=SUBJECT,
                subject_id=organization.pk,
                actor=actor,
                organization=organization,
                payload={"kind": kind, "sha256": inspected.sha256, "size": inspected.size},
            )
        except Exception:
            discard_file(attachment)
            raise
    return attachment


def organization_attachment_kinds(organization: Organization) -> set[str]:
    return set(organization.attachments.values_list("kind", flat=True).distinct())


def organization_submit(*, organization_id: int, actor: User) -> Organization:
    """Send the organisation for review; every missing item is reported at once."""
    try:
        return _submit(organization_id, actor)
    except IntegrityError as exc:
        if "organization_one_open_claim" not in str(exc):
            raise
        raise Conflict(_("Another registration claiming this entity is under review; wait for its decision.")) from None


def _submit(organization_id: int, actor: User) -> Organization:
    with transaction.atomic():
        organization = _lock(organization_id)
        if not actor.has_perm("accounts.submit_organization", organization):
            raise ActionForbidden(_("You may not submit this organisation."))
        if not can_proceed(organization.submit):
            raise Conflict(
                _("The organisation cannot be submitted while it is %(status)s.")
                % {"status": organization.get_status_display()}
            )
        claim_check(organization)
        missing = organization_missing_items(organization, attachment_kinds=organization_attachment_kinds(organization))
        if not actor.email_verified:
            missing["non_field_errors"] = [_("Verify your e-mail address before submitting.")]
        if missing:
            raise ValidationFailed(missing, message=_("The organisation is not complete."))
        from_state = organization.status
        organization.submit()
        organization.submitted_at = timezone.now()
        event = _record(organization, "organization.submitted", actor, from_state)
        # Supervision routes it to the province's reviewers (a handler in the same transaction).
        signals.organization_submitted.send(
            sender=Organization,
            organization=organization,
            actor=actor,
            resubmission=from_state == OrganizationStatus.RETURNED,
        )
        _tell_members(
            organization,
            event,
            gettext_lazy("Received: %(name)s was submitted for review"),
            gettext_lazy("%(name)s was submitted to %(office)s for review. You will be told of the decision here."),
        )
    return organization


def _check_reviewer(organization: Organization, actor: User) -> None:
    if not actor.has_perm(REVIEW_PERMISSION, organization):
        raise ActionForbidden(_("Only the reviewer assigned to this organisation may decide on it."))


def next_entity_id() -> str:
    """A 7-digit entity ID: the sequence value scrambled by a bijection on 1,000,000–9,999,999.

    Real entity IDs do not reveal how many entities were registered before; multiplying by a
    number coprime with 9,000,000 keeps the mapping one-to-one.
    """
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('accounts_entity_id_seq')")
            (value,) = cursor.fetchone()
        candidate = str((int(value) * 7_919 + 3_141_592) % 9_000_000 + 1_000_000)
        # Entities imported from CAC's published lists already hold their real IDs: skip those.
        if not Organization.objects.filter(entity_id=candidate).exists():
            return candidate


def organization_approve(*, organization_id: int, actor: User, reasons: str = "") -> Organization:
    """Approval by the assigned reviewer: assigns the entity ID used in filing numbers."""
    with transaction.atomic():
        organization = _lock(organization_id)
        _check_reviewer(organization, actor)
        if not can_proceed(organization.approve):
            raise Conflict(_("The organisation is not awaiting a decision."))
        from_state = organization.status
        organization.approve()
        organization.approved_at = timezone.now()
        if organization.claims_id is not None:
            # A claim: the registration moves into the imported entity, which keeps its entity ID.
            event = _record(organization, "organization.approved", actor, from_state, reasons=reasons)
            claimed = claim_merge(registration=organization, actor=actor)
            _tell_members(
                claimed,
                event,
                gettext_lazy("Approved: %(name)s"),
                gettext_lazy(
                    "%(office)s approved the registration of %(name)s, which takes over the entity CAC published "
                    "(entity ID %(entity_id)s) and its filings. You may now file changes and new algorithms."
                ),
                entity_id=claimed.entity_id,
            )
            return claimed
        if not organization.entity_id:
            organization.entity_id = next_entity_id()
        organization.return_reasons = ""
        organization.return_item_reasons = {}
        event = _record(
            organization,
            "organization.approved",
            actor,
            from_state,
            reasons=reasons,
            payload={"entity_id": organization.entity_id},
        )
        _tell_members(
            organization,
            event,
            gettext_lazy("Approved: %(name)s"),
            gettext_lazy(
                "%(office)s approved the registration of %(name)s (entity ID %(entity_id)s). "
                "You may now file algorithms."
            ),
            entity_id=organization.entity_id,
        )
    return organization


def organization_return(
    *, organization_id: int, actor: User, reasons: str, item_reasons: Mapping[str, str] | None = None
) -> Organization:
    """Return for correction (补正) with reasons; the provider corrects and resubmits."""
    if not reasons.strip():
        raise ValidationFailed({"reasons": [_("Give the reasons for returning it.")]})
    with transaction.atomic():
        organization = _lock(organization_id)
        _check_reviewer(organization, actor)
        if not can_proceed(organization.return_for_correction):
            raise Conflict(_("The organisation is not awaiting a decision."))
        from_state = organization.status
        organization.return_for_correction()
        organization.return_reasons = reasons.strip()
        organization.return_item_reasons = dict(item_reasons or {})
        event = _record(
            organization,
            "organization.returned",
            actor,
            from_state,
            reasons=organization.return_reasons,
            payload={"items": sorted(organization.return_item_reasons)},
        )
        _tell_members(
            organization,
            event,
            gettext_lazy("Returned for correction: %(name)s"),
            gettext_lazy("%(office)s returned %(name)s for correction:\n\n%(reasons)s"),
            reasons=organization.return_reasons,
        )
    return organization
