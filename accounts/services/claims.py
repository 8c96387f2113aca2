"""Claiming an entity known only from CAC's published lists (imported, no members, no USCC).

A provider registers as usual and names one of the entity's published filing numbers. The office of
the entity's province reviews the registration like any other (with the licence and the commitment
letter). On approval the registration's details, documents and members move into the imported entity,
which keeps its entity ID, its filings and their history; the registration is retired (``merged_into``):
it keeps no members, no permissions and no open invitations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import signals
from accounts.errors import Conflict, ValidationFailed
from accounts.models import Invitation, Organization, OrganizationAttachment, User
from accounts.models.permissions import OrganizationGroupObjectPermission
from accounts.roles import Role
from accounts.services.audit import audit_record
from accounts.services.locks import lock_organization
from accounts.services.organization_fields import ID_NUMBER_FIELDS, ORGANIZATION_FIELDS
from accounts.services.permissions import (
    ADMIN_PERMISSION,
    member_join,
    member_leave,
    organization_group_create,
)

# 网信算备 + 6-digit division + 7-digit entity ID + …: the entity ID identifies the organisation.
ENTITY_ID_SLICE = slice(4 + 6, 4 + 13)
# What moves from the registration into the claimed entity (its entity ID and filings stay).
MOVED_FIELDS = (*(f for f in ORGANIZATION_FIELDS if f != "claim_number"), "province_code", "office")
# Whether a number was published for an entity. Filings (higher up) registers its check at start-up,
# so accounts can ask without importing it.
NUMBER_CHECKS: list[Callable[[str, Organization], bool]] = []


def register_number_check(check: Callable[[str, Organization], bool]) -> None:
    if check not in NUMBER_CHECKS:
        NUMBER_CHECKS.append(check)


def _published(number: str, entity: Organization) -> bool:
    return all(check(number, entity) for check in NUMBER_CHECKS)


def claim_resolve(cleaned: dict[str, Any]) -> None:
    """Turn a cleaned ``claim_number`` into the imported entity it names (``claims``), or say why not."""
    if "claim_number" not in cleaned:
        return
    number = cleaned["claim_number"]
    if not number:
        cleaned["claims"] = None
        return
    claimed = Organization.objects.filter(entity_id=number[ENTITY_ID_SLICE]).first()
    if claimed is not None and not claimed.imported:
        raise ValidationFailed(
            {
                "claim_number": [
                    _("This entity is already registered in this system; ask its administrator to invite you.")
                ]
            }
        )
    if claimed is None or not _published(number, claimed):
        raise ValidationFailed(
            {"claim_number": [_("No entity published by CAC holds this number: check it against the published list.")]}
        )
    cleaned["claims"] = claimed


def claim_check(registration: Organization) -> None:
    """At submission: the entity is still unclaimed, and the registration is in the entity's province
    (whose office reviews it: the entity's filings are that office's)."""
    if registration.claims_id is None:
        return
    _check_claimable(registration, Organization.objects.get(pk=registration.claims_id))


def _check_claimable(registration: Organization, claimed: Organization) -> None:
    if not claimed.imported:
        raise ValidationFailed({"claim_number": [_("This entity has been claimed by another registration meanwhile.")]})
    if registration.province_code != claimed.province_code:
        raise ValidationFailed(
            {
                "registered_division_code": [
                    _(
                        "The claimed entity was published under division %(division)s: register it in the same "
                        "province, or file a change of its address once it is yours."
                    )
                    % {"division": claimed.registered_division_code}
                ]
            }
        )


def claim_merge(*, registration: Organization, actor: User) -> Organization:
    """Move an approved registration into the entity it claims (the caller holds the registration's
    lock and has approved it). Returns the claimed entity, which the registration's members now join."""
    assert registration.claims_id is not None
    claimed = lock_organization(registration.claims_id)
    try:
        _check_claimable(registration, claimed)
    except ValidationFailed as exc:
        raise Conflict(exc.message) from None
    previous = {f: str(getattr(claimed, f) or "") for f in MOVED_FIELDS if f not in ID_NUMBER_FIELDS}
    members = list(registration.members.all())
    admins = {u.pk for u in members if u.has_perm(ADMIN_PERMISSION, registration)}
    uscc = registration.uscc
    # The USCC is unique: the retired registration gives it up before the entity takes it.
    Organization.objects.filter(id=registration.pk).update(uscc="", merged_into=claimed)
    registration.uscc, registration.merged_into = "", claimed
    for field in MOVED_FIELDS:
        setattr(claimed, field, getattr(registration, field))
    claimed.uscc = uscc
    claimed.imported = False
    claimed.approved_at = timezone.now()
    claimed.version += 1
    if claimed.group is None:
        claimed.group = organization_group_create(claimed)
    claimed.save()
    OrganizationAttachment.objects.filter(organization=registration).update(organization=claimed)
    for user in members:
        member_leave(organization=registration, user=user)
        member_join(
            organization=claimed,
            user=user,
            role=Role.PROVIDER_ADMIN if user.pk in admins else Role.PROVIDER_MEMBER,
        )
    _retire(registration)
    audit_record(
        action="organization.claimed",
        subject_type="organization",
        subject_id=claimed.pk,
        actor=actor,
        organization=claimed,
        payload={"registration": registration.pk, "previous": previous, "members": len(members)},
    )
    signals.organization_merged.send(sender=Organization, registration=registration, claimed=claimed, actor=actor)
    if claimed.name != previous["name"]:
        # Filings adds "主体原名称：…" to the published listings (the same signal as an approved rename).
        signals.organization_changed.send(sender=Organization, organization=claimed, fields=["name"], actor=actor)
    return claimed


def _retire(registration: Organization) -> None:
    """Nobody acts for a retired registration: no open invitations, no permissions left on it."""
    Invitation.objects.filter(organization=registration, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    OrganizationGroupObjectPermission.objects.filter(content_object=registration).delete()
