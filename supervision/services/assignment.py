"""Who may review what: eligibility (office, role, conflicts, four-eyes), automatic assignment to the
least-loaded eligible reviewer, reassignment by a supervisor, and conflict-of-interest declarations."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import Organization, User
from accounts.roles import Role, is_supervisor
from accounts.services.audit import audit_record
from accounts.services.organizations import lock_organization
from supervision.models import ACTIVE_STATUSES, ConflictOfInterest, ReviewTask, TaskStatus, TaskVote
from supervision.subjects import SUBJECTS


def earlier_deciders(task: ReviewTask) -> set[int]:
    """Everyone who already decided or voted on this subject in this round (four-eyes)."""
    same_round = ReviewTask.objects.filter(
        subject_type=task.subject_type, subject_id=task.subject_id, round=task.round
    ).exclude(id=task.pk)
    deciders = set(same_round.exclude(decided_by=None).values_list("decided_by_id", flat=True))
    deciders |= set(TaskVote.objects.filter(task__in=same_round).values_list("reviewer_id", flat=True))
    return deciders


def conflicted(user_id: int, organization_id: int) -> bool:
    return ConflictOfInterest.objects.filter(
        reviewer_id=user_id, organization_id__in=_involved(organization_id)
    ).exists()


def _involved(organization_id: int) -> list[int]:
    """The organisation, and the imported entity its registration claims (a conflict with either counts)."""
    claims = Organization.objects.filter(pk=organization_id).values_list("claims_id", flat=True).first()
    return [organization_id, claims] if claims else [organization_id]


def eligible_reviewers(task: ReviewTask) -> QuerySet[User]:
    """Active reviewers of the task's office with the stage's role, no conflict, not an earlier decider."""
    roles = [Role.SENIOR_REVIEWER] if _senior_only(task) else [Role.REVIEWER, Role.SENIOR_REVIEWER]
    return (
        User.objects.filter(office_id=task.office_id, is_active=True, groups__name__in=roles)
        .exclude(id__in=earlier_deciders(task))
        .exclude(conflicts__organization_id__in=_involved(task.organization_id))
        .distinct()
    )


def _senior_only(task: ReviewTask) -> bool:
    from supervision.models import StageDefinition

    if task.tier is None:
        return False
    return StageDefinition.objects.filter(tier=task.tier, order=task.stage_order, senior_only=True).exists()


def check_eligible(task: ReviewTask, user: User) -> None:
    if not eligible_reviewers(task).filter(id=user.pk).exists():
        if user.pk in earlier_deciders(task):
            raise ActionForbidden(_("Four eyes: you already decided on this at an earlier stage."))
        if conflicted(user.pk, task.organization_id):
            raise ActionForbidden(_("You declared a conflict of interest with this organisation."))
        raise ActionForbidden(
            _("Only eligible reviewers of %(office)s may act on this task.") % {"office": task.office}
        )


def least_loaded(task: ReviewTask) -> User | None:
    """The eligible reviewer holding the fewest active tasks (then the longest-serving)."""
    return (
        eligible_reviewers(task)
        .annotate(load=Count("review_tasks", filter=Q(review_tasks__status__in=ACTIVE_STATUSES)))
        .order_by("load", "id")
        .first()
    )


def assign(task: ReviewTask, user: User, *, start: bool = False) -> None:
    """Give the task (locked by the caller) to ``user`` with the object permission.

    ``start`` marks the subject in review: a reviewer claiming it takes it up; an automatic
    assignment only puts it in that reviewer's queue.
    """
    task.status = TaskStatus.CLAIMED
    task.assignee = user
    task.claimed_at = timezone.now()
    task.save(update_fields=["status", "assignee", "claimed_at"])
    subject = SUBJECTS[task.subject_type]
    subject.grant(user, task)
    if start:
        subject.start(task)


def auto_assign(task: ReviewTask) -> None:
    """Consultations are voted by any eligible senior reviewer; other stages go to one reviewer."""
    if not settings.BEIAN["AUTO_ASSIGN"] or task.required_votes > 1:
        return
    reviewer = least_loaded(task)
    if reviewer is not None:
        assign(task, reviewer)
        _audit(task, "review_task.assigned", None, {"to": reviewer.get_username()})


def task_reassign(*, task_id: int, actor: User, to_user_id: int) -> ReviewTask:
    """A supervisor moves a task to another eligible reviewer (its office, no conflict, four-eyes)."""
    task_ref = ReviewTask.objects.filter(id=task_id).values("organization_id", "province_code").first()
    if task_ref is None:
        raise Conflict(_("This task no longer exists."))
    office = actor.office
    in_scope = office is not None and (office.is_central or office.province_code == task_ref["province_code"])
    if not (is_supervisor(actor) and in_scope):
        raise ActionForbidden(_("Only a supervisor with jurisdiction reassigns review tasks."))
    with transaction.atomic():
        lock_organization(task_ref["organization_id"])
        task = (
            ReviewTask.objects.select_for_update(of=("self",))
            .select_related("assignee", "filing", "organization", "office")
            .get(id=task_id)
        )
        if task.status not in ACTIVE_STATUSES:
            raise Conflict(_("This task is already decided."))
        target = User.objects.filter(id=to_user_id).first()
        if target is None:
            raise ValidationFailed({"to": [_("Choose a reviewer.")]})
        check_eligible(task, target)
        previous = task.assignee
        if previous is not None:
            SUBJECTS[task.subject_type].revoke(previous, task)
        assign(task, target)
        _audit(
            task,
            "review_task.reassigned",
            actor,
            {"from": previous.get_username() if previous else None, "to": target.get_username()},
        )
    return task


def conflict_declare(*, reviewer: User, organization_id: int, reason: str) -> ConflictOfInterest:
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_("Say why you must not review this organisation.")]})
    organization = Organization.objects.filter(id=organization_id).first()
    if organization is None:
        raise ValidationFailed({"organization": [_("Choose an organisation.")]})
    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            reviewer=reviewer, organization=organization, defaults={"reason": reason.strip()}
        )
        audit_record(
            action="review.conflict_declared",
            subject_type="organization",
            subject_id=organization.pk,
            actor=reviewer,
            organization=organization,
            reasons=reason.strip(),
        )
        # Tasks the reviewer already holds for that organisation go back to the queue.
        for task in (
            ReviewTask.objects.select_for_update(of=("self",))
            .select_related("filing", "organization")
            .filter(assignee=reviewer, organization=organization, status=TaskStatus.CLAIMED)
        ):
            SUBJECTS[task.subject_type].revoke(reviewer, task)
            task.status, task.assignee, task.claimed_at = TaskStatus.OPEN, None, None
            task.save(update_fields=["status", "assignee", "claimed_at"])
    return conflict


def _audit(task: ReviewTask, action: str, actor: User | None, payload: dict[str, object]) -> None:
    audit_record(
        action=action,
        subject_type="review_task",
        subject_id=task.pk,
        actor=actor,
        organization=task.organization,
        to_state=task.status,
        payload={"subject": [task.subject_type, task.subject_id], "stage": task.stage, **payload},
    )
