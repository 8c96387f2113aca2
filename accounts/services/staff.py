"""Regulator staff accounts: one office each, and a role."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ValidationFailed
from accounts.models import RegulatorOffice, User
from accounts.roles import STAFF_ROLES, Role, forget_roles
from accounts.services.audit import audit_record


def staff_create(
    *, username: str, email: str, password: str, role: str, office_code: str | None, actor: User | None = None
) -> User:
    """Create a reviewer, senior reviewer or supervisor of an office, or a system administrator."""
    if role not in STAFF_ROLES and role != Role.SYSADMIN:
        raise ValidationFailed({"role": [_("Choose a regulator role.")]})
    office = None
    if role != Role.SYSADMIN:
        office = RegulatorOffice.objects.filter(code=office_code).first()
        if office is None:
            raise ValidationFailed({"office": [_("Choose an office.")]})
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            email=email,
            password=password,
            office=office,
            is_staff=role == Role.SYSADMIN,
            email_verified_at=timezone.now(),
        )
        user.groups.add(Group.objects.get(name=role))
        forget_roles(user)
        audit_record(
            action="user.staff_created",
            subject_type="user",
            subject_id=user.pk,
            actor=actor,
            payload={"username": username, "role": role, "office": office.code if office else None},
        )
    return user
