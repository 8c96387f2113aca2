from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubjectType(models.TextChoices):
    ORGANIZATION = "organization", _("Organisation")
    ORGANIZATION_CHANGE = "organization_change", _("Organisation change")
    FILING = "filing", _("Filing")
    CHANGE = "change", _("Filing change")
    CANCELLATION = "cancellation", _("Cancellation")
    REASSESSMENT = "reassessment", _("Re-assessment")
    OBJECTION = "objection", _("Objection")


class Stage(models.TextChoices):
    PROVINCIAL_REVIEW = "provincial_review", _("Provincial review")
    PROVINCIAL_DECISION = "provincial_decision", _("Provincial decision")
    CENTRAL_REVIEW = "central_review", _("Central review")
    CONSULTATION = "consultation", _("Consultation")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DECIDED = "decided", _("Decided")
    # The subject went away before a decision (e.g. the provider withdrew a change).
    CLOSED = "closed", _("Closed")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RECOMMEND_APPROVAL = "recommend_approval", _("Recommend approval")
    RETURN = "return", _("Return for correction")
    REJECT = "reject", _("Reject")


ACTIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.CLAIMED)


class ReviewTask(models.Model):
    """One stage of review of one subject, in one office's queue.

    ``province_code`` and ``organization`` are copied from the subject so that queue and
    jurisdiction filters are single indexed predicates on this table.
    """

    subject_type = models.CharField(_("subject type"), max_length=32, choices=SubjectType.choices)
    subject_id = models.BigIntegerField(_("subject ID"))
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    filing = models.ForeignKey(
        "filings.Filing", verbose_name=_("filing"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province_code = models.CharField(_("province code"), max_length=2)
    office = models.ForeignKey(
        "accounts.RegulatorOffice", verbose_name=_("office"), on_delete=models.PROTECT, related_name="tasks"
    )
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_tasks",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    due = models.DateField(_("stage due"))
    decision_due = models.DateField(_("decision due"))
    due_provisional = models.BooleanField(_("provisional deadline"), default=False)
    # A change that touches no material field is fast-tracked: a shorter internal deadline.
    fast_track = models.BooleanField(_("fast track"), default=False)
    # Position in the tier's stage sequence (1-based) and how many approvals the stage needs.
    stage_order = models.PositiveSmallIntegerField(_("stage number"), default=1)
    # The last stage decides; earlier stages recommend (or return or reject).
    final = models.BooleanField(_("deciding stage"), default=True)
    required_votes = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    # The provider's correction deadline passed: the task came back to its reviewer.
    correction_overdue = models.BooleanField(_("correction overdue"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=32, choices=Decision.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    item_reasons = models.JSONField(_("reasons per item"), default=dict, blank=True)

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(status__in=["open", "claimed"]),
                name="task_one_active_per_subject",
            ),
        ]
        indexes = [
            # The office queue: stops after one page of the oldest deadlines (perf-anchors A).
            models.Index(
                fields=["office", "decision_due", "id"],
                condition=Q(status__in=["open", "claimed"]),
                name="task_office_queue",
            ),
            models.Index(fields=["assignee", "status", "due"], name="task_assignee"),
            models.Index(fields=["province_code", "status", "due"], name="task_province"),
            models.Index(fields=["subject_type", "subject_id"], name="task_subject"),
            models.Index(fields=["filing", "id"], name="task_filing"),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_type_display()} #{self.subject_id} ({self.get_stage_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class TaskVote(models.Model):
    """One senior reviewer's vote in a consultation (会商), which needs distinct approvers."""

    task = models.ForeignKey(ReviewTask, on_delete=models.PROTECT, related_name="votes")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=32, choices=Decision.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation vote")
        verbose_name_plural = _("consultation votes")
        constraints = [models.UniqueConstraint(fields=["task", "reviewer"], name="vote_once_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reviewer_id} {self.decision}"
