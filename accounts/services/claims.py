"""Claiming an entity known only from CAC's published lists (imported, no members, no USCC).

A provider registers as usual and names one of the entity's published filing numbers. The province's
office reviews the registration like any other (with the licence and the commitment letter). On
approval the registration's details, documents and members move into the imported entity, which keeps
its entity ID, its filings and their history; the registration is retired (``merged_into``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import signals
from accounts.errors import Conflict, ValidationFailed
from accounts.models import Organization, OrganizationAttachment, User
from accounts.roles import Role
from accounts.services.audit import audit_record
from accounts.services.organization_fields import ORGANIZATION_FIELDS
from accounts.services.permissions import (
    ADMIN_PERMISSION,
    member_join,
    member_leave,
    organization_group_create,
)

# 网信算备 + 6-digit division + 7-digit entity ID + …: the entity ID identifies the organisation.
ENTITY_ID_SLICE = slice(4 + 6, 4 + 13)
# What moves from the registration into the claimed entity (its entity ID and filings stay).
MOVED_FIELDS = (
    *(f for f in ORGANIZATION_FIELDS if f != "claim_number"),
    "province_code",
    "office",
)


def claim_resolve(cleaned: dict[str, Any]) -> None:
    """Turn a cleaned ``claim_number`` into the imported entity it names (``claims``), or say why not."""
    if "claim_number" not in cleaned:
        return
    number = cleaned["claim_number"]
    if not number:
        cleaned["claims"] = None
        return
    claimed = Organization.objects.filter(entity_id=number[ENTITY_ID_SLICE]).first()
    if claimed is None:
        raise ValidationFailed(
            {"claim_number": [_("No entity published by CAC holds this number: check it against the published list.")]}
        )
    if not claimed.imported:
        raise ValidationFailed(
            {
                "claim_number": [
                    _("This entity is already registered in this system; ask its administrator to invite you.")
                ]
            }
        )
    cleaned["claims"] = claimed


def claim_merge(*, registration: Organization, actor: User) -> Organization:
    """Move an approved registration into the entity it claims (the caller holds its lock and has
    approved it). Returns the claimed entity, which the registration's members now belong to."""
    claimed = (
        Organization.objects.select_for_update(no_key=True, of=("self",))
        .select_related("office")
        .get(id=registration.claims_id)
    )
    if not claimed.imported:
        raise Conflict(_("This entity has been claimed by another registration meanwhile."))
    previous_name = claimed.name
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
    audit_record(
        action="organization.claimed",
        subject_type="organization",
        subject_id=claimed.pk,
        actor=actor,
        organization=claimed,
        payload={"registration": registration.pk, "previous_name": previous_name, "members": len(members)},
    )
    if claimed.name != previous_name:
        # Filings adds "主体原名称：…" to the published listings (the same signal as an approved rename).
        signals.organization_changed.send(sender=Organization, organization=claimed, fields=["name"], actor=actor)
    return claimed
