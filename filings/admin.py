from django.contrib import admin

from accounts.admin_base import SysadminModelAdmin
from filings.models import CalendarOverride, CalendarYear


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SysadminModelAdmin):
    list_display = ["date", "is_workday", "source_notice", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(SysadminModelAdmin):
    list_display = ["year", "source_notice", "entered_at"]
