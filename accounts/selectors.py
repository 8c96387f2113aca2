"""Reads, always scoped to what the user may see (a 404 for everything else).

Scoping is a SQL filter on relationships (the user's organisation or office's province), with
indexes made for it; object permissions are only for acting on one object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Organization, OrganizationAttachment, User
from accounts.roles import is_provider, is_regulator
from accounts.workflow import OrganizationStatus


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


def _visible(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_filter(user_scope(user))).select_related("office")


def organization_list_visible(*, user: Any) -> QuerySet[Organization]:
    # A registration that claimed an imported entity was merged into it: gone from every list, though
    # its own page (and audit trail) can still be opened.
    return _visible(user).filter(merged_into__isnull=True)


def organization_get_visible(*, user: Any, organization_id: int) -> Organization:
    organization = _visible(user).filter(id=organization_id).first()
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
    # An entity's history includes the registrations merged into it (their creation, documents, review).
    merged = Q(organization=organization) | Q(organization__merged_into=organization)
    return AuditEvent.objects.filter(merged).order_by("-id")[:limit]


def organization_members(organization: Organization) -> QuerySet[User]:
    return organization.members.prefetch_related("groups").order_by("username")


@dataclass(frozen=True)
class OrganizationFilters:
    """Narrow a regulator's list of organisations; never widens the user's scope."""

    status: str = ""
    office: str = ""  # the reviewing office's division code
    imported: str = ""  # "1": known only from CAC's published lists; "0": registered here
    q: str = ""  # a name (contains), an entity ID or a USCC

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> OrganizationFilters:
        status, office, imported = params.get("status", ""), params.get("office", ""), params.get("imported", "")
        return cls(
            status=status if status in OrganizationStatus.values else "",
            office=office if re.fullmatch(r"\d{6}", office) or office == "none" else "",
            imported=imported if imported in ("0", "1") else "",
            q=params.get("q", "").strip()[:100],
        )

    def apply(self, qs: QuerySet[Organization]) -> QuerySet[Organization]:
        if self.status:
            qs = qs.filter(status=self.status)
        if self.office == "none":
            qs = qs.filter(office__isnull=True)
        elif self.office:
            qs = qs.filter(office__code=self.office)
        if self.imported:
            qs = qs.filter(imported=self.imported == "1")
        if re.fullmatch(r"\d{7}", self.q):
            qs = qs.filter(entity_id=self.q)  # the unique index
        elif re.fullmatch(r"[0-9A-Za-z]{18}", self.q):
            qs = qs.filter(uscc=self.q.upper())  # the unique index
        elif self.q:
            qs = qs.filter(name__contains=self.q)
        return qs

    def describe(self) -> list[str]:
        words = []
        if self.status:
            words.append(str(OrganizationStatus(self.status).label))
        if self.office == "none":
            words.append(str(_("no reviewing office yet")))
        elif self.office:
            words.append(str(_("office %(code)s") % {"code": self.office}))
        if self.imported:
            words.append(str(_("imported from CAC's lists") if self.imported == "1" else _("registered here")))
        if self.q:
            words.append(f"“{self.q}”")
        return words

    def query(self) -> str:
        pairs = {"status": self.status, "office": self.office, "imported": self.imported, "q": self.q}
        return urlencode({k: v for k, v in pairs.items() if v})
