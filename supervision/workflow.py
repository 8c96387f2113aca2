"""Which decisions exist at which stage for which subject: data the review service reads."""

from __future__ import annotations

from supervision.models import Decision, Stage, SubjectType

D = Decision
ALLOWED_DECISIONS: dict[tuple[str, str], frozenset[str]] = {
    (SubjectType.ORGANIZATION, Stage.PROVINCIAL_REVIEW): frozenset({D.APPROVE, D.RETURN}),
    (SubjectType.ORGANIZATION_CHANGE, Stage.PROVINCIAL_REVIEW): frozenset({D.APPROVE, D.RETURN, D.REJECT}),
    (SubjectType.FILING, Stage.PROVINCIAL_REVIEW): frozenset({D.APPROVE, D.RETURN, D.REJECT}),
    (SubjectType.CHANGE, Stage.PROVINCIAL_REVIEW): frozenset({D.APPROVE, D.RETURN, D.REJECT}),
    (SubjectType.CANCELLATION, Stage.PROVINCIAL_REVIEW): frozenset({D.APPROVE, D.REJECT}),
}
# Decisions that must say why.
REASONS_REQUIRED = frozenset({D.RETURN, D.REJECT})


def allowed_decisions(subject_type: str, stage: str) -> frozenset[str]:
    return ALLOWED_DECISIONS.get((subject_type, stage), frozenset())
