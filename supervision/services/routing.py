"""Reacting to what accounts and filings announce: a submission becomes a task in an office's queue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts import signals as account_signals
from accounts.models import Organization, OrganizationChange
from filings.workdays import WorkCalendar
from supervision.models import ReviewTask, Stage, SubjectType, TaskStatus


def task_open(*, subject_type: str, subject_id: int, organization: Organization, stage: str) -> ReviewTask:
    """Open a task for the subject at its organisation's provincial office."""
    assert organization.office is not None, "a submitted organisation always has a reviewing office"
    due = WorkCalendar.load().add(timezone.localdate(), settings.BEIAN["ORGANIZATION_REVIEW_WORKING_DAYS"])
    previous_rounds = ReviewTask.objects.filter(subject_type=subject_type, subject_id=subject_id).count()
    return ReviewTask.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        organization=organization,
        province_code=organization.province_code,
        office=organization.office,
        stage=stage,
        status=TaskStatus.OPEN,
        round=previous_rounds + 1,
        due=due.value,
        decision_due=due.value,
        due_provisional=due.provisional,
    )


def on_organization_submitted(sender: Any, *, organization: Organization, **kwargs: Any) -> None:
    task_open(
        subject_type=SubjectType.ORGANIZATION,
        subject_id=organization.pk,
        organization=organization,
        stage=Stage.PROVINCIAL_REVIEW,
    )


def on_organization_change_submitted(sender: Any, *, change: OrganizationChange, **kwargs: Any) -> None:
    task_open(
        subject_type=SubjectType.ORGANIZATION_CHANGE,
        subject_id=change.pk,
        organization=change.organization,
        stage=Stage.PROVINCIAL_REVIEW,
    )


def on_organization_change_withdrawn(sender: Any, *, change: OrganizationChange, **kwargs: Any) -> None:
    from supervision.services.review import task_close

    active = ReviewTask.objects.filter(
        subject_type=SubjectType.ORGANIZATION_CHANGE, subject_id=change.pk, status__in=["open", "claimed"]
    )
    for task in active.select_for_update():
        task_close(task=task)


def connect() -> None:
    account_signals.organization_submitted.connect(on_organization_submitted, dispatch_uid="supervision.org")
    account_signals.organization_change_submitted.connect(
        on_organization_change_submitted, dispatch_uid="supervision.org_change"
    )
    account_signals.organization_change_withdrawn.connect(
        on_organization_change_withdrawn, dispatch_uid="supervision.org_change_withdrawn"
    )
