from django.contrib import admin

from accounts.admin_base import ReadOnlyAdmin, SysadminModelAdmin
from filings.models import CalendarOverride, CalendarYear, Reassessment


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SysadminModelAdmin):
    list_display = ["date", "is_workday", "source_notice", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SysadminModelAdmin):
    list_display = ["year", "source_notice", "entered_at"]


@admin.register(Reassessment)
class ReassessmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "filing", "reason", "status", "tier", "due", "late", "opened_at"]
    list_filter = ["status", "reason", "late"]
    list_select_related = ["filing"]
