"""Reads, always scoped to what the user may see (a 404 for everything else).

Scoping is a SQL filter on relationships (the user's organisation or office's province), with
indexes made for it; object permissions are only for acting on one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import AuditEvent, Organization, OrganizationAttachment, User
from accounts.roles import is_provider, is_regulator


@dataclass(frozen=True)
class Scope:
    """What a user may read: one organisation, one province, the whole country, or nothing."""

    kind: str  # "none" | "organization" | "province" | "country"
    organization_id: int | None = None
    province_code: str | None = None

    @property
    def is_regulator(self) -> bool:
        return self.kind in {"province", "country"}


NO_SCOPE = Scope("none")


def user_scope(user: Any) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    if is_regulator(user):
        office = user.office
        if office.is_central:
            return Scope("country")
        return Scope("province", province_code=office.province_code)
    if user.organization_id is not None and is_provider(user):
        return Scope("organization", organization_id=user.organization_id)
    return NO_SCOPE


def scope_filter(scope: Scope, *, organization_field: str = "id", province_field: str = "province_code") -> Q:
    """The Q that limits a queryset to ``scope``; fields name the organisation and province columns."""
    if scope.kind == "country":
        return Q()
    if scope.kind == "province":
        return Q(**{province_field: scope.province_code})
    if scope.kind == "organization":
        return Q(**{organization_field: scope.organization_id})
    return Q(pk__in=[])


def organization_list_visible(*, user: Any) -> QuerySet[Organization]:
    scope = user_scope(user)
    return Organization.objects.filter(scope_filter(scope)).select_related("office")


def organization_get_visible(*, user: Any, organization_id: int) -> Organization:
    organization = organization_list_visible(user=user).filter(id=organization_id).first()
    if organization is None:
        raise Http404
    return organization


def organization_of(user: Any) -> Organization | None:
    """The provider's own organisation, or None."""
    if not getattr(user, "is_authenticated", False) or user.organization_id is None:
        return None
    return Organization.objects.select_related("office").get(id=user.organization_id)


def organization_current_attachments(organization: Organization) -> dict[str, OrganizationAttachment]:
    """The latest document of each kind (earlier uploads stay as history)."""
    latest = (
        OrganizationAttachment.objects.filter(organization=organization)
        .order_by("kind", "-created_at", "-id")
        .distinct("kind")
    )
    return {attachment.kind: attachment for attachment in latest}


def organization_attachment_get_visible(
    *, user: Any, organization_id: int, attachment_id: int
) -> OrganizationAttachment:
    organization = organization_get_visible(user=user, organization_id=organization_id)
    attachment = OrganizationAttachment.objects.filter(organization=organization, id=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def organization_history(organization: Organization, *, limit: int = 200) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organization=organization).order_by("-id")[:limit]


def organization_members(organization: Organization) -> QuerySet[User]:
    return organization.members.prefetch_related("groups").order_by("username")
