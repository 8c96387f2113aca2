"""Roles are groups (created by a data migration); these helpers read them once per user object."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User


class Role(models.TextChoices):
    PROVIDER_ADMIN = "provider_admin", _("Provider administrator")
    PROVIDER_MEMBER = "provider_member", _("Provider member")
    REVIEWER = "reviewer", _("Reviewer")
    SENIOR_REVIEWER = "senior_reviewer", _("Senior reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYSADMIN = "sysadmin", _("System administrator")


PROVIDER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER})
REVIEWER_ROLES = frozenset({Role.REVIEWER, Role.SENIOR_REVIEWER})
STAFF_ROLES = REVIEWER_ROLES | {Role.SUPERVISOR}

_CACHE_ATTR = "_beian_roles"


def user_roles(user: Any) -> frozenset[str]:
    """The role names of ``user`` (empty for anonymous), cached on the instance."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user: Any, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_provider(user: Any) -> bool:
    return has_role(user, *PROVIDER_ROLES)


def is_reviewer(user: Any) -> bool:
    return has_role(user, *REVIEWER_ROLES) and getattr(user, "office_id", None) is not None


def is_supervisor(user: Any) -> bool:
    return has_role(user, Role.SUPERVISOR) and getattr(user, "office_id", None) is not None


def is_central_supervisor(user: Any) -> bool:
    office = getattr(user, "office", None)
    return is_supervisor(user) and office is not None and office.is_central


def is_regulator(user: Any) -> bool:
    return has_role(user, *STAFF_ROLES) and getattr(user, "office_id", None) is not None


def is_sysadmin(user: Any) -> bool:
    return has_role(user, Role.SYSADMIN)
