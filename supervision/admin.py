from django.contrib import admin

from accounts.admin_base import ReadOnlyAdmin
from supervision.models import ReviewTask


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject_type", "subject_id", "office", "stage", "status", "assignee", "due"]
    list_filter = ["status", "subject_type", "stage"]
    list_select_related = ["office", "assignee"]
