"""Which decisions exist for a task: data the review service reads.

Organisations and their changes, and cancellations, have one deciding stage. Filings and their
material changes go through the stages of their tier (``StageDefinition`` rows): earlier stages
recommend, the last one decides; any stage may return for correction or reject.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from supervision.models import Decision, ReviewTask, SubjectType

D = Decision
SINGLE_STAGE: dict[str, frozenset[str]] = {
    SubjectType.ORGANIZATION: frozenset({D.APPROVE, D.RETURN}),
    SubjectType.ORGANIZATION_CHANGE: frozenset({D.APPROVE, D.RETURN, D.REJECT}),
    SubjectType.CANCELLATION: frozenset({D.APPROVE, D.REJECT}),
    # An objection is upheld (approve) or dismissed (reject); the outcome is always recorded.
    SubjectType.OBJECTION: frozenset({D.APPROVE, D.REJECT}),
}
# A re-assessment goes through its tier's stages like a material change.
TIERED = frozenset({SubjectType.FILING, SubjectType.CHANGE, SubjectType.REASSESSMENT})
DECIDING = frozenset({D.APPROVE, D.RETURN, D.REJECT})
RECOMMENDING = frozenset({D.RECOMMEND_APPROVAL, D.RETURN, D.REJECT})
# When the provider's correction is overdue the reviewer refuses, or gives a new correction period.
OVERDUE = frozenset({D.RETURN, D.REJECT})
# Decisions that must say why.
REASONS_REQUIRED = frozenset({D.RETURN, D.REJECT})
# Subjects whose every decision records a written outcome.
OUTCOME_REQUIRED = frozenset({SubjectType.OBJECTION})
# How decisions read for a subject whose verbs differ from a filing's.
DECISION_LABELS: dict[str, dict[str, Any]] = {
    SubjectType.OBJECTION: {D.APPROVE: _("Uphold the objection"), D.REJECT: _("Dismiss the objection")},
}


def allowed_decisions(task: ReviewTask) -> frozenset[str]:
    if task.correction_overdue:
        return OVERDUE
    if task.subject_type in SINGLE_STAGE:
        return SINGLE_STAGE[task.subject_type]
    if task.subject_type in TIERED:
        return DECIDING if task.final else RECOMMENDING
    return frozenset()
