"""Claiming, releasing and deciding review tasks. Each is one locked transaction with an audit event."""

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
from supervision.models import ReviewTask, TaskStatus
from supervision.subjects import SUBJECTS
from supervision.workflow import REASONS_REQUIRED, allowed_decisions

SUBJECT = "review_task"


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
    """Acting needs a reviewer of the office whose stage the task is at, without a conflict."""
    if not is_reviewer(actor) or actor.office_id != task.office_id:
        raise ActionForbidden(_("Only reviewers of %(office)s may act on this task.") % {"office": task.office})
    if actor.organization_id == task.organization_id:
        raise ActionForbidden(_("You may not review an organisation you belong to."))


def task_claim(*, task_id: int, actor: User) -> ReviewTask:
    with transaction.atomic():
        task = _lock(task_id)
        _check_can_act(task, actor)
        if task.status == TaskStatus.CLAIMED and task.assignee_id == actor.pk:
            return task
        if task.status == TaskStatus.CLAIMED:
            raise Conflict(_("%(user)s already holds this task.") % {"user": task.assignee})
        if task.status != TaskStatus.OPEN:
            raise Conflict(_("This task is already decided."))
        task.status = TaskStatus.CLAIMED
        task.assignee = actor
        task.claimed_at = timezone.now()
        task.save(update_fields=["status", "assignee", "claimed_at"])
        subject = SUBJECTS[task.subject_type]
        subject.grant(actor, task)
        subject.start(task)
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
    """Close an active task whose subject went away (caller holds the row lock)."""
    from_state = task.status
    if task.assignee is not None:
        SUBJECTS[task.subject_type].revoke(task.assignee, task)
    task.status = TaskStatus.CLOSED
    task.decided_at = timezone.now()
    task.save(update_fields=["status", "decided_at"])
    _audit(task, "review_task.closed", None, from_state)


def task_decide(
    *,
    task_id: int,
    actor: User,
    decision: str,
    reasons: str = "",
    item_reasons: Mapping[str, str] | None = None,
) -> ReviewTask:
    """Decide the task and carry the decision to its subject, in one transaction.

    Two reviewers acting at once: the row lock serialises them and the second finds it decided.
    """
    reasons = (reasons or "").strip()
    items = {str(k): str(v).strip() for k, v in (item_reasons or {}).items() if str(v).strip()}
    with transaction.atomic():
        task = _lock(task_id)
        if task.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
            raise Conflict(_("This task is already decided."))
        if decision not in allowed_decisions(task.subject_type, task.stage):
            raise Conflict(
                _("“%(decision)s” is not a decision available at the %(stage)s stage.")
                % {"decision": decision, "stage": task.get_stage_display()}
            )
        _check_can_act(task, actor)
        if task.assignee_id != actor.pk:
            raise ActionForbidden(_("Claim the task before deciding on it."))
        if decision in REASONS_REQUIRED and not reasons:
            raise ValidationFailed({"reasons": [_("Give the reasons for this decision.")]})
        subject = SUBJECTS[task.subject_type]
        subject.decide(task, actor, decision, reasons, items)
        subject.revoke(actor, task)
        task.status = TaskStatus.DECIDED
        task.decision = decision
        task.reasons = reasons
        task.item_reasons = items
        task.decided_at = timezone.now()
        task.decided_by = actor
        task.save(update_fields=["status", "decision", "reasons", "item_reasons", "decided_at", "decided_by"])
        _audit(task, "review_task.decided", actor, TaskStatus.CLAIMED, reasons=reasons, decision=decision)
    return task
