"""Reacting to what accounts and filings announce: a submission is classified and becomes the first
stage's task in an office's queue; a withdrawal closes it. Handlers run inside the announcing
service's transaction, so the submission and its task commit or roll back together."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from accounts import signals as account_signals
from accounts.models import Organization, OrganizationChange, RegulatorOffice
from accounts.reference import CENTRAL_OFFICE_CODE
from filings import signals as filing_signals
from filings.models import Filing, FilingCancellation, FilingVersion, Objection, Reassessment
from filings.services.submission import DECISION_WORKING_DAYS
from filings.services.tiering import filing_record_tier
from filings.workdays import WorkCalendar
from supervision import tiering
from supervision.models import ACTIVE_STATUSES, ReviewTask, Stage, StageDefinition, SubjectType, TaskStatus
from supervision.services.assignment import auto_assign

FAST_TRACK_WORKING_DAYS = 5


def _next_round(subject_type: str, subject_id: int) -> int:
    last = ReviewTask.objects.filter(subject_type=subject_type, subject_id=subject_id).aggregate(n=Max("round"))["n"]
    return (last or 0) + 1


def _office(organization: Organization, level: str) -> RegulatorOffice:
    if level == StageDefinition.Level.CENTRAL:
        return RegulatorOffice.objects.get(code=CENTRAL_OFFICE_CODE)
    assert organization.office is not None, "a submitted organisation always has a reviewing office"
    return organization.office


def open_task(
    *,
    subject_type: str,
    subject_id: int,
    organization: Organization,
    filing: Filing | None = None,
    tier: int | None = None,
    order: int = 1,
    round_: int | None = None,
    working_days: int | None = None,
    decision_due: datetime.date | None = None,
    fast_track: bool = False,
) -> ReviewTask:
    """Open a stage: the tier's ``order``-th stage, or the single provincial stage of an untiered subject."""
    definition = StageDefinition.objects.get(tier=tier, order=order) if tier is not None else None
    calendar = WorkCalendar.load()
    days = (
        definition.working_days if definition else (working_days or settings.BEIAN["ORGANIZATION_REVIEW_WORKING_DAYS"])
    )
    due = calendar.add(timezone.localdate(), days)
    task = ReviewTask.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        organization=organization,
        filing=filing,
        province_code=organization.province_code,
        office=_office(organization, definition.level if definition else StageDefinition.Level.PROVINCIAL),
        stage=definition.stage if definition else Stage.PROVINCIAL_REVIEW,
        stage_order=order,
        final=definition.final if definition else True,
        required_votes=definition.required_votes if definition else 1,
        tier=tier,
        status=TaskStatus.OPEN,
        round=round_ or _next_round(subject_type, subject_id),
        # A stage's internal deadline never runs past the statutory one.
        due=min(due.value, decision_due) if decision_due else due.value,
        decision_due=decision_due or due.value,
        due_provisional=due.provisional,
        fast_track=fast_track,
    )
    auto_assign(task)
    return task


def close_subject_tasks(*, subject_type: str, subject_id: int) -> None:
    from supervision.services.review import task_close

    active = ReviewTask.objects.filter(subject_type=subject_type, subject_id=subject_id, status__in=ACTIVE_STATUSES)
    # The caller holds the organisation's lock (every subject change takes it first).
    for task in active.select_for_update(of=("self",)).select_related("assignee", "organization", "filing"):
        task_close(task=task)


def classify(filing: Filing, data: dict[str, Any] | None = None) -> tiering.Classification:
    """The tier under the policy in force, from the filing's factors (or a change's data)."""
    inputs = tiering.inputs_of(filing)
    if data is not None:
        probe = Filing()
        from filings.services.tiering import filing_copy_tier_inputs

        filing_copy_tier_inputs(probe, data)
        inputs = tiering.inputs_of(probe)
    return tiering.classify(tiering.policy_in_force(), inputs)


def reclassify(*, filing_id: int, data: dict[str, Any] | None = None) -> Filing:
    """Copy the factors (of ``data`` if given) onto the filing and record the policy's tier."""
    from filings.services.tiering import filing_copy_tier_inputs

    filing = Filing.objects.select_for_update(of=("self",)).get(id=filing_id)
    if data is not None:
        filing_copy_tier_inputs(filing, data)
        filing.save(
            update_fields=[
                "public_opinion",
                "content_category",
                "monthly_active_users",
                "data_importance",
                "intervention_level",
            ]
        )
    result = classify(filing)
    filing_record_tier(
        filing=filing, policy_tier=result.tier, policy_version=result.policy_version, explanation=result.explanation()
    )
    return filing


def on_organization_submitted(sender: Any, *, organization: Organization, **kwargs: Any) -> None:
    open_task(subject_type=SubjectType.ORGANIZATION, subject_id=organization.pk, organization=organization)


def on_organization_change_submitted(sender: Any, *, change: OrganizationChange, **kwargs: Any) -> None:
    open_task(subject_type=SubjectType.ORGANIZATION_CHANGE, subject_id=change.pk, organization=change.organization)


def on_organization_change_withdrawn(sender: Any, *, change: OrganizationChange, **kwargs: Any) -> None:
    close_subject_tasks(subject_type=SubjectType.ORGANIZATION_CHANGE, subject_id=change.pk)


def on_filing_submitted(sender: Any, *, filing: Filing, actor: Any = None, **kwargs: Any) -> None:
    from supervision.models import NoticeKind
    from supervision.services.notices import issue_notice

    close_subject_tasks(subject_type=SubjectType.FILING, subject_id=filing.pk)  # e.g. a correction-overdue task
    result = classify(filing)
    filing_record_tier(
        filing=filing, policy_tier=result.tier, policy_version=result.policy_version, explanation=result.explanation()
    )
    open_task(
        subject_type=SubjectType.FILING,
        subject_id=filing.pk,
        organization=filing.organization,
        filing=filing,
        tier=filing.tier,
        decision_due=filing.decision_due,
    )
    issue_notice(kind=NoticeKind.RECEIPT, filing=filing, actor=None)


def on_filing_change_submitted(sender: Any, *, filing: Filing, version: FilingVersion, **kwargs: Any) -> None:
    """Material changes get the full review of their tier; the rest are fast-tracked."""
    decision_due = WorkCalendar.load().add(timezone.localdate(), DECISION_WORKING_DAYS).value
    if version.material is False:
        open_task(
            subject_type=SubjectType.CHANGE,
            subject_id=version.pk,
            organization=filing.organization,
            filing=filing,
            working_days=FAST_TRACK_WORKING_DAYS,
            decision_due=decision_due,
            fast_track=True,
        )
        return
    tier = max(classify(filing, version.data).tier, filing.tier_override or 0)
    open_task(
        subject_type=SubjectType.CHANGE,
        subject_id=version.pk,
        organization=filing.organization,
        filing=filing,
        tier=tier,
        decision_due=decision_due,
    )


def on_filing_cancellation_submitted(
    sender: Any, *, filing: Filing, cancellation: FilingCancellation, **kwargs: Any
) -> None:
    open_task(
        subject_type=SubjectType.CANCELLATION,
        subject_id=cancellation.pk,
        organization=filing.organization,
        filing=filing,
        working_days=DECISION_WORKING_DAYS,
    )


def on_filing_reassessment_submitted(sender: Any, *, filing: Filing, reassessment: Reassessment, **kwargs: Any) -> None:
    """A re-assessment goes through the stages of the tier it is reviewed at, like a material change."""
    open_task(
        subject_type=SubjectType.REASSESSMENT,
        subject_id=reassessment.pk,
        organization=filing.organization,
        filing=filing,
        tier=reassessment.tier,
        decision_due=WorkCalendar.load().add(timezone.localdate(), DECISION_WORKING_DAYS).value,
    )


def on_filing_objection_submitted(sender: Any, *, filing: Filing, objection: Objection, **kwargs: Any) -> None:
    """An objection is reviewed by the filing's provincial office, in one stage with its own deadline."""
    open_task(
        subject_type=SubjectType.OBJECTION,
        subject_id=objection.pk,
        organization=filing.organization,
        filing=filing,
        working_days=settings.BEIAN["OBJECTION_WORKING_DAYS"],
    )


def on_filing_subject_withdrawn(sender: Any, *, subject_type: str, subject_id: int, **kwargs: Any) -> None:
    close_subject_tasks(subject_type=subject_type, subject_id=subject_id)


def on_organization_merged(sender: Any, *, registration: Any, claimed: Any, **kwargs: Any) -> None:
    """Conflicts of interest declared against the registration now concern the entity it became."""
    from supervision.models import ConflictOfInterest

    declared = ConflictOfInterest.objects.filter(organization=claimed).values("reviewer_id")
    ConflictOfInterest.objects.filter(organization=registration, reviewer_id__in=declared).delete()
    ConflictOfInterest.objects.filter(organization=registration).update(organization=claimed)


def connect() -> None:
    connections = (
        (account_signals.organization_submitted, on_organization_submitted),
        (account_signals.organization_merged, on_organization_merged),
        (account_signals.organization_change_submitted, on_organization_change_submitted),
        (account_signals.organization_change_withdrawn, on_organization_change_withdrawn),
        (filing_signals.filing_submitted, on_filing_submitted),
        (filing_signals.filing_change_submitted, on_filing_change_submitted),
        (filing_signals.filing_cancellation_submitted, on_filing_cancellation_submitted),
        (filing_signals.filing_reassessment_submitted, on_filing_reassessment_submitted),
        (filing_signals.filing_objection_submitted, on_filing_objection_submitted),
        (filing_signals.filing_subject_withdrawn, on_filing_subject_withdrawn),
    )
    for signal, handler in connections:
        signal.connect(handler, dispatch_uid=f"supervision.{handler.__name__}")
