from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ReadOnlyAdmin, SysadminModelAdmin
from accounts.models import AuditEvent, Notification, Organization, OrganizationChange, RegulatorOffice, User
from accounts.roles import is_sysadmin


@admin.register(User)
class BeianUserAdmin(SysadminModelAdmin, UserAdmin):
    list_display = ["username", "email", "office", "organization", "is_active", "last_login"]
    list_select_related = ["office", "organization"]
    list_filter = ["is_active", "groups", "office"]
    raw_id_fields = ["organization"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Beian"), {"fields": ("office", "organization", "language", "email_verified_at")}),
    )


admin.site.unregister(Group)


@admin.register(Group)
class BeianGroupAdmin(SysadminModelAdmin, GroupAdmin):
    pass


@admin.register(RegulatorOffice)
class RegulatorOfficeAdmin(SysadminModelAdmin):
    list_display = ["code", "name_zh", "name_en", "is_central"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "province_code", "status", "entity_id", "created_at"]
    list_filter = ["status"]
    list_select_related = ["office"]
    search_fields = ["=uscc", "=entity_id"]
    exclude = ["legal_rep_id_number", "security_officer_id_number"]


@admin.register(OrganizationChange)
class OrganizationChangeAdmin(ReadOnlyAdmin):
    list_display = ["organization", "status", "submitted_at"]
    list_select_related = ["organization"]
    exclude = ["proposed", "previous"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "occurred_at", "actor_username", "action", "subject_type", "subject_id"]
    list_filter = ["action"]
    search_fields = ["=actor_username", "=subject_id"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "to_email", "subject", "created_at", "sent_at", "failed_at", "attempts"]
    list_select_related = ["recipient"]
    list_filter = ["failed_at"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_sysadmin(request.user)
