from django.contrib import admin

from accounts.admin_base import ReadOnlyAdmin, SysadminModelAdmin
from supervision.models import (
    ConflictOfInterest,
    Job,
    Notice,
    ReassessmentInterval,
    Reminder,
    ReviewTask,
    StageDefinition,
    TierPolicy,
)


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject_type", "subject_id", "office", "tier", "stage", "status", "assignee", "decision_due"]
    list_filter = ["status", "subject_type", "stage", "tier"]
    list_select_related = ["office", "assignee"]


@admin.register(StageDefinition)
class StageDefinitionAdmin(SysadminModelAdmin):
    """The review stages per tier: data the workflow reads (changes apply to tasks opened later)."""

    list_display = ["tier", "order", "stage", "level", "working_days", "final", "senior_only", "required_votes"]
    list_filter = ["tier"]


@admin.register(TierPolicy)
class TierPolicyAdmin(ReadOnlyAdmin):
    """Versions are created by central supervisors on the tier policy page (with a preview)."""

    list_display = ["version", "effective_from", "created_by", "created_at"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "organization", "issued_at"]
    list_select_related = ["organization"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "organization", "reason", "declared_at"]
    list_select_related = ["reviewer", "organization"]


@admin.register(ReassessmentInterval)
class ReassessmentIntervalAdmin(SysadminModelAdmin):
    """Months between periodic re-assessments per tier; the next morning's job reschedules the filings."""

    list_display = ["tier", "months"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["id", "rule", "recipient", "subject_type", "subject_id", "due", "offset", "created_at"]
    list_filter = ["rule"]
    list_select_related = ["recipient"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "done", "total", "attempts", "started_at", "finished_at", "error"]
    list_filter = ["kind", "status"]
