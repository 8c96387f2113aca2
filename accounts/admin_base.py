"""Admin classes for every app: permissions come from the ``sysadmin`` role, not per-model grants."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.roles import is_sysadmin


class SysadminModelAdmin(admin.ModelAdmin):
    """Model permissions come from the role, not from per-model grants."""

    show_full_result_count = False  # no second COUNT(*) over large tables

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_sysadmin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_sysadmin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)


class ReadOnlyAdmin(SysadminModelAdmin):
    """For records that change only through services (audit, workflow state)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
