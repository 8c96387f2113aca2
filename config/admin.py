"""The Django admin is for system administrators (role ``sysadmin``) only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from accounts.roles import is_sysadmin


class BeianAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and is_sysadmin(user))


class BeianAdminConfig(AdminConfig):
    default_site = "config.admin.BeianAdminSite"
