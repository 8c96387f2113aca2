"""Reacting to what accounts and filings announce: a submission becomes a task in an office's queue,
a withdrawal closes it. Handlers run inside the announcing service's transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts import signals as account_signals
from accounts.models import Organization, OrganizationChange
from filings import signals as filing_signals
from filings.models import Filing, FilingCancellation, FilingVersion
from filings.services.submission import DECISION_WORKING_DAYS
from filings.workdays import WorkCalendar
from supervision.models import ACTIVE_STATUSES, ReviewTask, Stage, SubjectType, TaskStatus

FAST_TRACK_WORKING_DAYS = 5


def task_open(
    *,
    subject_type: str,
    subject_id: int,
    organization: Organization,
    stage: str = Stage.PROVINCIAL_REVIEW,
    working_days: int | None = None,
    filing: Filing | None = None,
    decision_due: datetime.date | None = None,
    fast_track: bool = False,
) -> ReviewTask:
    """Open a task at the organisation's provincial office, due ``working_days`` from today."""
    assert organization.office is not None, "a submitted organisation always has a reviewing office"
    due = WorkCalendar.load().add(
        timezone.localdate(), working_days or settings.BEIAN["ORGANIZATION_REVIEW_WORKING_DAYS"]
    )
    previous_rounds = ReviewTask.objects.filter(subject_type=subject_type, subject_id=subject_id).count()
    return ReviewTask.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        organization=organization,
        filing=filing,
        province_code=organization.province_code,
        office=organization.office,
        stage=stage,
        status=TaskStatus.OPEN,
        round=previous_rounds + 1,
        due=due.value,
        decision_due=decision_due or due.value,
        due_provisional=due.provisional,
        fast_track=fast_track,
    )


def close_subject_tasks(*, subject_type: str, subject_id: int) -> None:
    from supervision.services.review import task_close

    active = ReviewTask.objects.filter(subject_type=subject_type, subject_id=subject_id, status__in=ACTIVE_STATUSES)
    # The caller holds the organisation's lock (every subject change takes it first).
    for task in active.select_for_update(of=("self",)).select_related("assignee", "organization", "filing"):
        task_close(task=task)


def on_organization_submitted(sender: Any, *, organization: Organization, **kwargs: Any) -> None:
    task_open(subject_type=SubjectType.ORGANIZATION, subject_id=organization.pk, organization=organization)


def on_organization_change_submitted(sender: Any, *, change: OrganizationChange, **kwargs: Any) -> None:
    task_open(subject_type=SubjectType.ORGANIZATION_CHANGE, subject_id=change.pk, organization=change.organization)


def on_organization_change_withdrawn(sender: Any, *, change: OrganizationChange, **kwargs: Any) -> None:
    close_subject_tasks(subject_type=SubjectType.ORGANIZATION_CHANGE, subject_id=change.pk)


def on_filing_submitted(sender: Any, *, filing: Filing, **kwargs: Any) -> None:
    task_open(
        subject_type=SubjectType.FILING,
        subject_id=filing.pk,
        organization=filing.organization,
        filing=filing,
        working_days=DECISION_WORKING_DAYS,
        decision_due=filing.decision_due,
    )


def on_filing_change_submitted(sender: Any, *, filing: Filing, version: FilingVersion, **kwargs: Any) -> None:
    """Material changes get the full review; the rest are fast-tracked (a shorter internal deadline)."""
    fast = version.material is False
    task_open(
        subject_type=SubjectType.CHANGE,
        subject_id=version.pk,
        organization=filing.organization,
        filing=filing,
        working_days=FAST_TRACK_WORKING_DAYS if fast else DECISION_WORKING_DAYS,
        decision_due=WorkCalendar.load().add(timezone.localdate(), DECISION_WORKING_DAYS).value,
        fast_track=fast,
    )


def on_filing_cancellation_submitted(
    sender: Any, *, filing: Filing, cancellation: FilingCancellation, **kwargs: Any
) -> None:
    task_open(
        subject_type=SubjectType.CANCELLATION,
        subject_id=cancellation.pk,
        organization=filing.organization,
        filing=filing,
        working_days=DECISION_WORKING_DAYS,
    )


def on_filing_subject_withdrawn(sender: Any, *, subject_type: str, subject_id: int, **kwargs: Any) -> None:
    close_subject_tasks(subject_type=subject_type, subject_id=subject_id)


def connect() -> None:
    connections = (
        (account_signals.organization_submitted, on_organization_submitted),
        (account_signals.organization_change_submitted, on_organization_change_submitted),
        (account_signals.organization_change_withdrawn, on_organization_change_withdrawn),
        (filing_signals.filing_submitted, on_filing_submitted),
        (filing_signals.filing_change_submitted, on_filing_change_submitted),
        (filing_signals.filing_cancellation_submitted, on_filing_cancellation_submitted),
        (filing_signals.filing_subject_withdrawn, on_filing_subject_withdrawn),
    )
    for signal, handler in connections:
        signal.connect(handler, dispatch_uid=f"supervision.{handler.__name__}")
