"""Changes to an approved organisation (name, address, contacts, users) are filed and reviewed."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import signals
from accounts.errors import ActionForbidden, Conflict, StaleVersion, ValidationFailed
from accounts.models import AuditEvent, Organization, OrganizationChange, OrganizationStatus, User
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from accounts.services.organization_fields import CHANGEABLE_FIELDS, ID_NUMBER_FIELDS, clean_organization_data
from accounts.services.organizations import lock_organization
from accounts.services.permissions import ADMIN_PERMISSION, REVIEW_PERMISSION
from accounts.workflow import CHANGE_OPEN, CHANGE_TRANSITIONS

SUBJECT = "organization_change"


def _validated_change(
    organization: Organization, data: Mapping[str, Any], summary: str, change_date: datetime.date | None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    try:
        cleaned = clean_organization_data(data, current=organization, allowed=CHANGEABLE_FIELDS)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        cleaned = {}
    if not summary.strip():
        errors["summary"] = [_("Describe the change.")]
    if change_date is None:
        errors["change_date"] = [_("Enter the date of the change.")]
    elif change_date > timezone.localdate():
        errors["change_date"] = [_("The date of the change cannot be in the future.")]
    proposed = {f: v for f, v in cleaned.items() if getattr(organization, f) != v}
    if not errors and not proposed:
        errors["non_field_errors"] = [_("Nothing differs from the registered details.")]
    if errors:
        raise ValidationFailed(errors)
    return proposed


def _lock_change(change_id: int) -> OrganizationChange:
    try:
        return (
            OrganizationChange.objects.select_for_update(no_key=True).select_related("organization").get(id=change_id)
        )
    except OrganizationChange.DoesNotExist:
        raise Conflict(_("This change no longer exists.")) from None


def _audit(change: OrganizationChange, action: str, actor: User, from_state: str, reasons: str = "") -> AuditEvent:
    return audit_record(
        action=action,
        subject_type=SUBJECT,
        subject_id=change.pk,
        actor=actor,
        organization=change.organization,
        from_state=from_state,
        to_state=change.status,
        reasons=reasons,
        payload={"fields": sorted(change.proposed)},
    )


def organization_change_submit(
    *, organization_id: int, actor: User, data: Mapping[str, Any], summary: str, change_date: datetime.date | None
) -> OrganizationChange:
    with transaction.atomic():
        organization = lock_organization(organization_id)
        if not actor.has_perm(ADMIN_PERMISSION, organization):
            raise ActionForbidden(_("Only the organisation's administrators may file changes."))
        if organization.status != OrganizationStatus.APPROVED:
            raise Conflict(_("Changes are filed only for an approved organisation; edit the draft instead."))
        if organization.changes.filter(status__in=CHANGE_OPEN).exists():
            raise Conflict(_("A change is already under review; wait for its decision or withdraw it."))
        proposed = _validated_change(organization, data, summary, change_date)
        assert change_date is not None
        change = OrganizationChange.objects.create(
            organization=organization,
            proposed=proposed,
            previous={f: getattr(organization, f) for f in proposed},
            summary=summary.strip(),
            change_date=change_date,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        event = _audit(change, "organization_change.submitted", actor, "")
        signals.organization_change_submitted.send(
            sender=OrganizationChange, change=change, actor=actor, resubmission=False
        )
        _notify(
            change,
            event,
            gettext_lazy("Received: change to %(name)s"),
            gettext_lazy("The change to %(name)s was submitted for review."),
        )
    return change


def organization_change_resubmit(
    *,
    change_id: int,
    actor: User,
    data: Mapping[str, Any],
    summary: str,
    change_date: datetime.date | None,
    expected_version: int | None = None,
) -> OrganizationChange:
    with transaction.atomic():
        change = _lock_change(change_id)
        organization = change.organization
        if not actor.has_perm(ADMIN_PERMISSION, organization):
            raise ActionForbidden(_("Only the organisation's administrators may file changes."))
        if change.status not in CHANGE_TRANSITIONS["resubmit"].sources:
            raise Conflict(_("Only a change returned for correction can be resubmitted."))
        if expected_version is not None and expected_version != change.version:
            raise StaleVersion(_("This change was modified since you opened it. Reload it and try again."))
        proposed = _validated_change(organization, data, summary, change_date)
        assert change_date is not None
        from_state = change.status
        change.proposed = proposed
        change.previous = {f: getattr(organization, f) for f in proposed}
        change.summary = summary.strip()
        change.change_date = change_date
        change.status = CHANGE_TRANSITIONS["resubmit"].target
        change.submitted_at = timezone.now()
        change.version += 1
        change.save()
        _audit(change, "organization_change.resubmitted", actor, from_state)
        signals.organization_change_submitted.send(
            sender=OrganizationChange, change=change, actor=actor, resubmission=True
        )
    return change


def organization_change_withdraw(*, change_id: int, actor: User) -> OrganizationChange:
    with transaction.atomic():
        change = _lock_change(change_id)
        if not actor.has_perm(ADMIN_PERMISSION, change.organization):
            raise ActionForbidden(_("Only the organisation's administrators may withdraw a change."))
        change = _transition(change, "withdraw", actor)
        signals.organization_change_withdrawn.send(sender=OrganizationChange, change=change, actor=actor)
        return change


def _transition(change: OrganizationChange, name: str, actor: User, reasons: str = "") -> OrganizationChange:
    spec = CHANGE_TRANSITIONS[name]
    if change.status not in spec.sources:
        raise Conflict(
            _("The change cannot be handled while it is %(status)s.") % {"status": change.get_status_display()}
        )
    from_state = change.status
    change.status = spec.target
    if name != "withdraw":
        change.decided_at = timezone.now()
    change.reasons = reasons
    change.version += 1
    change.save()
    _audit(change, f"organization_change.{spec.target}", actor, from_state, reasons)
    return change


def organization_change_decide(*, change_id: int, actor: User, decision: str, reasons: str = "") -> OrganizationChange:
    """A reviewer's decision: ``approve`` applies the new values; ``return`` or ``reject`` need reasons."""
    if decision in {"return_for_correction", "reject"} and not reasons.strip():
        raise ValidationFailed({"reasons": [_("Give the reasons for this decision.")]})
    with transaction.atomic():
        change = _lock_change(change_id)
        organization = change.organization
        if not actor.has_perm(REVIEW_PERMISSION, organization):
            raise ActionForbidden(_("Only the reviewer assigned to this change may decide on it."))
        change = _transition(change, decision, actor, reasons.strip())
        if decision == "approve":
            for field, value in change.proposed.items():
                setattr(organization, field, value)
            organization.version += 1
            organization.save()
            signals.organization_changed.send(
                sender=type(organization), organization=organization, fields=sorted(change.proposed), actor=actor
            )
        subject = {
            "approve": gettext_lazy("Change approved: %(name)s"),
            "return_for_correction": gettext_lazy("Change returned for correction: %(name)s"),
            "reject": gettext_lazy("Change rejected: %(name)s"),
        }[decision]
        _notify(change, None, subject, gettext_lazy("Decision on the change to %(name)s.\n\n%(reasons)s"))
    return change


def _notify(change: OrganizationChange, event: AuditEvent | None, subject: Any, body: Any) -> None:
    notify(
        recipients=change.organization.members.all(),
        subject=subject,
        body=body,
        params={"name": change.organization.name, "reasons": change.reasons},
        link="/organization/",
        event=event,
    )


def masked_change_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Change values for display: ID numbers masked."""
    from accounts.validators import mask_id_number

    return {f: (mask_id_number(str(v)) if f in ID_NUMBER_FIELDS else v) for f, v in values.items()}
