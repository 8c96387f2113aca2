from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from filings.models.filings import Filing


class FilingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Filing, on_delete=models.CASCADE)


class FilingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Filing, on_delete=models.CASCADE)
