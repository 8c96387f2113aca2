"""Direct-FK object-permission tables (django-guardian), one pair per protected model.

Guardian finds them by the ``content_object`` FK, so checks on one object join an indexed integer
column instead of the generic table's text ``object_pk``.
"""

from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models.organizations import Organization


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)
