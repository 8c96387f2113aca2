"""What review does to each kind of subject: grant and revoke the reviewer's object permission,
mark it in review when claimed, carry a decision to it, and read its status.

Organisations live in accounts and filings in filings; this registry is the one place that maps a
task's ``subject_type`` to their services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Organization, OrganizationChange, User
from accounts.services.changes import organization_change_decide
from accounts.services.organizations import organization_approve, organization_return
from accounts.services.permissions import reviewer_grant, reviewer_revoke
from filings.models import Filing, FilingCancellation, FilingVersion, Objection, Reassessment
from filings.services import decisions as filing_decisions
from filings.services.objections import objection_decide, objection_review_started
from filings.services.reassessments import reassessment_decide, reassessment_review_started
from supervision.models import Decision, ReviewTask, SubjectType
from supervision.services.reassessment import after_tier_change

# Review decisions -> the subject services' own verbs.
VERB: dict[str, str] = {
    Decision.APPROVE: "approve",
    Decision.RETURN: "return_for_correction",
    Decision.REJECT: "reject",
}


@dataclass(frozen=True)
class Subject:
    grant: Callable[[User, ReviewTask], None]
    revoke: Callable[[User, ReviewTask], None]
    start: Callable[[ReviewTask], None]
    decide: Callable[[ReviewTask, User, str, str, Mapping[str, str]], None]
    status: Callable[[ReviewTask], str]


def _org_grant(user: User, task: ReviewTask) -> None:
    reviewer_grant(user=user, organization=task.organization)


def _org_revoke(user: User, task: ReviewTask) -> None:
    reviewer_revoke(user=user, organization=task.organization)


def _filing_grant(user: User, task: ReviewTask) -> None:
    assign_perm("filings.review_filing", user, task.filing)


def _filing_revoke(user: User, task: ReviewTask) -> None:
    remove_perm("filings.review_filing", user, task.filing)


def _nothing(task: ReviewTask) -> None:
    return None


def _decide_organization(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    if decision == Decision.APPROVE:
        organization_approve(organization_id=task.subject_id, actor=actor, reasons=reasons)
    else:
        organization_return(organization_id=task.subject_id, actor=actor, reasons=reasons, item_reasons=items)


def _decide_organization_change(
    task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]
) -> None:
    organization_change_decide(change_id=task.subject_id, actor=actor, decision=VERB[decision], reasons=reasons)


def _decide_filing(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    filing_decisions.filing_decide(
        filing_id=task.subject_id,
        actor=actor,
        decision=VERB[decision],
        reasons=reasons,
        item_reasons=items,
        reviewed_tier=task.tier,
    )
    if decision == Decision.APPROVE:
        after_tier_change(filing_ids=[task.subject_id])  # schedules its first re-assessment


def _decide_change(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    assert task.filing_id is not None
    version = filing_decisions.change_decide(
        filing_id=task.filing_id,
        version_id=task.subject_id,
        actor=actor,
        decision=VERB[decision],
        reasons=reasons,
        reviewed_tier=None if task.fast_track else task.tier,
    )
    if decision == Decision.APPROVE:
        # The approved content's Art. 23 factors are the filing's now: re-classify it.
        from supervision.services.routing import reclassify

        reclassify(filing_id=task.filing_id, data=version.data)
        # A fast-tracked change (e.g. new monthly active users) may raise the tier: review at the new one.
        after_tier_change(filing_ids=[task.filing_id])


def _decide_cancellation(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    filing_decisions.cancellation_decide(
        cancellation_id=task.subject_id, actor=actor, decision=VERB[decision], reasons=reasons
    )


def _decide_reassessment(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    case = reassessment_decide(reassessment_id=task.subject_id, actor=actor, decision=VERB[decision], reasons=reasons)
    if decision == Decision.APPROVE:
        after_tier_change(filing_ids=[case.filing_id])  # the next date counts from this assessment


def _start_reassessment(task: ReviewTask) -> None:
    reassessment_review_started(reassessment_id=task.subject_id)


def _decide_objection(task: ReviewTask, actor: User, decision: str, reasons: str, items: Mapping[str, str]) -> None:
    verb = "uphold" if decision == Decision.APPROVE else "dismiss"
    objection_decide(objection_id=task.subject_id, actor=actor, decision=verb, outcome=reasons)


def _start_objection(task: ReviewTask) -> None:
    objection_review_started(objection_id=task.subject_id)


def _start_filing(task: ReviewTask) -> None:
    assert task.filing_id is not None
    filing_decisions.review_started(filing_id=task.filing_id)


def _start_change(task: ReviewTask) -> None:
    assert task.filing_id is not None
    filing_decisions.review_started(filing_id=task.filing_id, version_id=task.subject_id)


def _start_cancellation(task: ReviewTask) -> None:
    assert task.filing_id is not None
    filing_decisions.review_started(filing_id=task.filing_id, cancellation_id=task.subject_id)


def _status_of(
    model: type[
        Organization | OrganizationChange | Filing | FilingVersion | FilingCancellation | Reassessment | Objection
    ],
) -> Callable[[ReviewTask], str]:
    def status(task: ReviewTask) -> str:
        return str(model.objects.values_list("status", flat=True).get(id=task.subject_id))

    return status


SUBJECTS: dict[str, Subject] = {
    SubjectType.ORGANIZATION: Subject(
        _org_grant, _org_revoke, _nothing, _decide_organization, _status_of(Organization)
    ),
    SubjectType.ORGANIZATION_CHANGE: Subject(
        _org_grant, _org_revoke, _nothing, _decide_organization_change, _status_of(OrganizationChange)
    ),
    SubjectType.FILING: Subject(_filing_grant, _filing_revoke, _start_filing, _decide_filing, _status_of(Filing)),
    SubjectType.CHANGE: Subject(
        _filing_grant, _filing_revoke, _start_change, _decide_change, _status_of(FilingVersion)
    ),
    SubjectType.CANCELLATION: Subject(
        _filing_grant, _filing_revoke, _start_cancellation, _decide_cancellation, _status_of(FilingCancellation)
    ),
    SubjectType.REASSESSMENT: Subject(
        _filing_grant, _filing_revoke, _start_reassessment, _decide_reassessment, _status_of(Reassessment)
    ),
    SubjectType.OBJECTION: Subject(
        _filing_grant, _filing_revoke, _start_objection, _decide_objection, _status_of(Objection)
    ),
}
