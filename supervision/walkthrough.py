"""Carry a subject through every stage of its review with eligible staff (demo data and tests)."""

from __future__ import annotations

from accounts.models import User
from supervision.models import ACTIVE_STATUSES, Decision, ReviewTask
from supervision.services.assignment import eligible_reviewers
from supervision.services.review import task_claim, task_decide

MAX_STAGES = 6


def decide_all_stages(*, subject_type: str, subject_id: int, decision: str, reasons: str = "") -> list[User]:
    """Approve (recommending at earlier stages) or return/reject at the first stage; returns the deciders."""
    deciders: list[User] = []
    for _stage in range(MAX_STAGES):
        task = ReviewTask.objects.filter(
            subject_type=subject_type, subject_id=subject_id, status__in=ACTIVE_STATUSES
        ).first()
        if task is None:
            return deciders
        if task.required_votes > 1:
            for voter in list(eligible_reviewers(task).order_by("id")[: task.required_votes]):
                task_decide(task_id=task.pk, actor=voter, decision=decision, reasons=reasons)
                deciders.append(voter)
            continue
        reviewer = task.assignee or eligible_reviewers(task).order_by("id").first()
        if reviewer is None:
            raise LookupError(f"no eligible reviewer for {task}")
        task_claim(task_id=task.pk, actor=reviewer)
        step = decision if (task.final or decision != Decision.APPROVE) else Decision.RECOMMEND_APPROVAL
        task_decide(task_id=task.pk, actor=reviewer, decision=step, reasons=reasons)
        deciders.append(reviewer)
    raise RuntimeError("more stages than any tier has")
