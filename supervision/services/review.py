"""Claiming, releasing and deciding review tasks. Each is one locked transaction with an audit event.

A decision at an earlier stage recommends and opens the next stage; the last stage decides for the
subject. A consultation (会商) needs approvals from distinct senior reviewers. Nobody decides at a
later stage what they decided at an earlier one (four eyes), and declared conflicts are respected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import User
from accounts.roles import is_reviewer
from accounts.services.audit import audit_record
from accounts.services.organizations import lock_organization
from supervision.models import Decision, NoticeKind, ReviewTask, SubjectType, TaskStatus, TaskVote
from supervision.services.assignment import assign, check_eligible
from supervision.subjects import SUBJECTS
from supervision.workflow import REASONS_REQUIRED, allowed_decisions

SUBJECT = "review_task"
NOTICE_FOR = {
    Decision.APPROVE: NoticeKind.APPROVAL,
    Decision.RETURN: NoticeKind.CORRECTION,
    Decision.REJECT: NoticeKind.REFUSAL,
}


def _lock(task_id: int) -> ReviewTask:
    """Lock the task's organisation, then the task: the order every service follows."""
    organization_id = ReviewTask.objects.filter(id=task_id).values_list("organization_id", flat=True).first()
    if organization_id is None:
        raise Conflict(_("This task no longer exists."))
    organization = lock_organization(organization_id)
    task = (
        ReviewTask.objects.select_for_update(no_key=True, of=("self",))
        .select_related("filing", "assignee", "office")
        .get(id=task_id)
    )
    task.organization = organization
    return task


def _audit(task: ReviewTask, action: str, actor: User | None, from_state: str, **extra: Any) -> None:
    audit_record(
        action=action,
        subject_type=SUBJECT,
        subject_id=task.pk,
        actor=actor,
        organization=task.organization,
        from_state=from_state,
        to_state=task.status,
        reasons=extra.pop("reasons", ""),
        payload={"subject": [task.subject_type, task.subject_id], "stage": task.stage, **extra},
    )


def _check_can_act(task: ReviewTask, actor: User) -> None:
    """Acting needs an eligible reviewer of the office whose stage the task is at."""
    if not is_reviewer(actor) or actor.office_id != task.office_id:
        raise ActionForbidden(_("Only reviewers of %(office)s may act on this task.") % {"office": task.office})
    if actor.organization_id == task.organization_id:
        raise ActionForbidden(_("You may not review an organisation you belong to."))
    check_eligible(task, actor)


def task_claim(*, task_id: int, actor: User) -> ReviewTask:
    with transaction.atomic():
        task = _lock(task_id)
        if task.status == TaskStatus.CLAIMED and task.assignee_id == actor.pk:
            SUBJECTS[task.subject_type].start(task)  # taking up a task assigned automatically
            return task
        _check_can_act(task, actor)
        if task.required_votes > 1:
            raise Conflict(_("A consultation is not claimed: each senior reviewer records a vote."))
        if task.status == TaskStatus.CLAIMED:
            raise Conflict(_("%(user)s already holds this task.") % {"user": task.assignee})
        if task.status != TaskStatus.OPEN:
            raise Conflict(_("This task is already decided."))
        assign(task, actor, start=True)
        _audit(task, "review_task.claimed", actor, TaskStatus.OPEN)
    return task


def task_release(*, task_id: int, actor: User) -> ReviewTask:
    with transaction.atomic():
        task = _lock(task_id)
        if task.status != TaskStatus.CLAIMED:
            raise Conflict(_("This task is not claimed."))
        if task.assignee_id != actor.pk:
            raise ActionForbidden(_("Only the reviewer holding this task may release it."))
        SUBJECTS[task.subject_type].revoke(actor, task)
        task.status = TaskStatus.OPEN
        task.assignee = None
        task.claimed_at = None
        task.save(update_fields=["status", "assignee", "claimed_at"])
        _audit(task, "review_task.released", actor, TaskStatus.CLAIMED)
    return task


def task_close(*, task: ReviewTask) -> None:
    """Close an active task whose subject went away (caller holds the locks)."""
    from_state = task.status
    if task.assignee is not None:
        SUBJECTS[task.subject_type].revoke(task.assignee, task)
    task.status = TaskStatus.CLOSED
    task.decided_at = timezone.now()
    task.save(update_fields=["status", "decided_at"])
    _audit(task, "review_task.closed", None, from_state)


def _validate(task: ReviewTask, decision: str, reasons: str) -> None:
    if task.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
        raise Conflict(_("This task is already decided."))
    if decision not in allowed_decisions(task):
        raise Conflict(
            _("“%(decision)s” is not a decision available at the %(stage)s stage.")
            % {"decision": decision, "stage": task.get_stage_display()}
        )


def task_decide(
    *,
    task_id: int,
    actor: User,
    decision: str,
    reasons: str = "",
    item_reasons: Mapping[str, str] | None = None,
) -> ReviewTask:
    """Decide the task and carry the decision on, in one transaction.

    Two reviewers acting at once: the row locks serialise them and the second finds it decided.
    """
    reasons = (reasons or "").strip()
    items = {str(k): str(v).strip() for k, v in (item_reasons or {}).items() if str(v).strip()}
    with transaction.atomic():
        task = _lock(task_id)
        _validate(task, decision, reasons)
        _check_can_act(task, actor)
        if task.required_votes > 1:
            return _vote(task, actor, decision, reasons, items)
        if task.assignee_id != actor.pk:
            raise ActionForbidden(_("Claim the task before deciding on it."))
        if decision in REASONS_REQUIRED and not reasons:
            raise ValidationFailed({"reasons": [_("Give the reasons for this decision.")]})
        _conclude(task, actor, decision, reasons, items)
    return task


def _vote(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> ReviewTask:
    """A consultation vote: distinct approvals until enough; a return or rejection concludes at once."""
    if decision in REASONS_REQUIRED and not reasons:
        raise ValidationFailed({"reasons": [_("Give the reasons for this decision.")]})
    if TaskVote.objects.filter(task=task, reviewer=actor).exists():
        raise Conflict(_("You already voted in this consultation."))
    TaskVote.objects.create(task=task, reviewer=actor, decision=decision, reasons=reasons)
    approvals = TaskVote.objects.filter(task=task, decision=Decision.APPROVE).count()
    _audit(task, "review_task.voted", actor, task.status, reasons=reasons, decision=decision, approvals=approvals)
    if decision == Decision.APPROVE and approvals < task.required_votes:
        return task
    _conclude(task, actor, decision, reasons, items)
    return task


def _conclude(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    # The task is decided first: the next stage (one active task per subject) and four-eyes read it.
    subject = SUBJECTS[task.subject_type]
    subject.revoke(actor, task)
    task.status = TaskStatus.DECIDED
    task.decision = decision
    task.reasons = reasons
    task.item_reasons = dict(items)
    task.decided_at = timezone.now()
    task.decided_by = actor
    task.save(update_fields=["status", "decision", "reasons", "item_reasons", "decided_at", "decided_by"])
    _audit(task, "review_task.decided", actor, TaskStatus.CLAIMED, reasons=reasons, decision=decision)
    if decision == Decision.RECOMMEND_APPROVAL:
        _open_next_stage(task)
        return
    subject.grant(actor, task)  # the decision on the subject checks the reviewer's object permission
    try:
        subject.decide(task, actor, decision, reasons, items)
    finally:
        subject.revoke(actor, task)
    if task.subject_type == SubjectType.FILING and decision in NOTICE_FOR:
        from supervision.services.notices import issue_notice

        assert task.filing is not None
        task.filing.refresh_from_db()
        issue_notice(
            kind=NOTICE_FOR[Decision(decision)], filing=task.filing, actor=actor, reasons=reasons, office=task.office
        )


def _open_next_stage(task: ReviewTask) -> None:
    from supervision.services.routing import open_task

    open_task(
        subject_type=task.subject_type,
        subject_id=task.subject_id,
        organization=task.organization,
        filing=task.filing,
        tier=task.tier,
        order=task.stage_order + 1,
        round_=task.round,
        decision_due=task.decision_due,
    )
