"""Object permissions (django-guardian) for checks on one object; lists filter in SQL instead.

An organisation's members act through the organisation's own group; its administrators also
hold ``administer_organization`` personally, so handing the role on moves exactly one grant.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Organization, User
from accounts.roles import PROVIDER_ROLES, Role, forget_roles

MEMBER_PERMISSIONS = (
    "accounts.view_organization",
    "accounts.change_organization",
    "accounts.submit_organization",
    "accounts.file_algorithms",
)
ADMIN_PERMISSION = "accounts.administer_organization"
REVIEW_PERMISSION = "accounts.review_organization"


def organization_group_create(organization: Organization) -> Group:
    group = Group.objects.create(name=f"organization:{organization.pk}")
    for perm in MEMBER_PERMISSIONS:
        assign_perm(perm, group, organization)
    return group


def member_join(*, organization: Organization, user: User, role: str) -> None:
    assert organization.group is not None
    user.organization = organization
    user.save(update_fields=["organization"])
    user.groups.add(organization.group, Group.objects.get(name=role))
    if role == Role.PROVIDER_ADMIN:
        assign_perm(ADMIN_PERMISSION, user, organization)
    forget_roles(user)


def member_set_role(*, organization: Organization, user: User, role: str) -> None:
    user.groups.remove(*Group.objects.filter(name__in=PROVIDER_ROLES))
    user.groups.add(Group.objects.get(name=role))
    if role == Role.PROVIDER_ADMIN:
        assign_perm(ADMIN_PERMISSION, user, organization)
    else:
        remove_perm(ADMIN_PERMISSION, user, organization)
    forget_roles(user)


def member_leave(*, organization: Organization, user: User) -> None:
    assert organization.group is not None
    user.groups.remove(organization.group, *Group.objects.filter(name__in=PROVIDER_ROLES))
    remove_perm(ADMIN_PERMISSION, user, organization)
    user.organization = None
    user.save(update_fields=["organization"])
    forget_roles(user)


def reviewer_grant(*, user: User, organization: Organization) -> None:
    assign_perm(REVIEW_PERMISSION, user, organization)


def reviewer_revoke(*, user: User, organization: Organization) -> None:
    remove_perm(REVIEW_PERMISSION, user, organization)
