import threading

import pytest
from django.db import connection
from guardian.shortcuts import get_perms

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import AuditEvent, Organization, OrganizationStatus
from supervision.models import ReviewTask, TaskStatus
from supervision.services.review import task_claim, task_decide, task_release
from tests.factories import make_submitted, make_user, open_task

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def submitted_bj():
    return make_submitted(make_user(), "110108")


def test_a_reviewer_of_the_province_claims_approves_and_the_entity_id_is_assigned(submitted_bj, reviewer_bj):
    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    assert "review_organization" in get_perms(reviewer_bj, submitted_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    submitted_bj.refresh_from_db()
    task.refresh_from_db()
    assert submitted_bj.status == OrganizationStatus.APPROVED
    assert len(submitted_bj.entity_id) == 7 and submitted_bj.entity_id.isdigit()
    assert (task.status, task.decision, task.decided_by) == (TaskStatus.DECIDED, "approve", reviewer_bj)
    assert "review_organization" not in get_perms(reviewer_bj, submitted_bj)  # revoked on decision
    actions = list(AuditEvent.objects.filter(organization=submitted_bj).values_list("action", flat=True))
    assert actions[-3:] == ["review_task.claimed", "review_task.decided", "organization.approved"]


def test_entity_ids_are_unique(reviewer_bj):
    ids = set()
    for _ in range(3):
        org = make_submitted(make_user(), "110108")
        task = open_task(org)
        task_claim(task_id=task.pk, actor=reviewer_bj)
        task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
        ids.add(Organization.objects.get(id=org.pk).entity_id)
    assert len(ids) == 3


def test_return_for_correction_then_resubmit_opens_a_second_round(submitted_bj, reviewer_bj):
    from accounts.services.organizations import organization_submit, organization_update

    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(
        task_id=task.pk,
        actor=reviewer_bj,
        decision="return",
        reasons="地址不符",
        item_reasons={"address": "与执照不一致"},
    )
    submitted_bj.refresh_from_db()
    assert submitted_bj.status == OrganizationStatus.RETURNED
    assert submitted_bj.return_item_reasons == {"address": "与执照不一致"}
    provider = submitted_bj.members.get()
    organization_update(organization_id=submitted_bj.pk, actor=provider, data={"address": "北京市海淀区正确地址1号"})
    organization_submit(organization_id=submitted_bj.pk, actor=provider)
    second = open_task(submitted_bj)
    assert (second.round, second.status) == (2, TaskStatus.OPEN)


def test_returning_needs_reasons_and_changes_nothing_without(submitted_bj, reviewer_bj):
    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    with pytest.raises(ValidationFailed):
        task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="  ")
    task.refresh_from_db()
    submitted_bj.refresh_from_db()
    assert (task.status, submitted_bj.status) == (TaskStatus.CLAIMED, OrganizationStatus.SUBMITTED)


@pytest.mark.parametrize("who", ["reviewer_gd", "central_reviewer", "supervisor", "provider"])
def test_only_reviewers_of_the_office_may_claim(who, submitted_bj, request):
    actor = submitted_bj.members.get() if who == "provider" else request.getfixturevalue(who)
    task = open_task(submitted_bj)
    with pytest.raises(ActionForbidden):
        task_claim(task_id=task.pk, actor=actor)
    task.refresh_from_db()
    assert (task.status, task.assignee) == (TaskStatus.OPEN, None)


def test_a_held_task_cannot_be_claimed_or_decided_by_another(submitted_bj, reviewer_bj, reviewer_bj2):
    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    with pytest.raises(Conflict):
        task_claim(task_id=task.pk, actor=reviewer_bj2)
    with pytest.raises(ActionForbidden):
        task_decide(task_id=task.pk, actor=reviewer_bj2, decision="approve")
    with pytest.raises(ActionForbidden):
        task_release(task_id=task.pk, actor=reviewer_bj2)
    task.refresh_from_db()
    submitted_bj.refresh_from_db()
    assert (task.assignee, task.status, submitted_bj.status) == (reviewer_bj, TaskStatus.CLAIMED, "submitted")


def test_release_puts_it_back_and_revokes_the_permission(submitted_bj, reviewer_bj, reviewer_bj2):
    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_release(task_id=task.pk, actor=reviewer_bj)
    assert "review_organization" not in get_perms(reviewer_bj, submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj2)
    task.refresh_from_db()
    assert task.assignee == reviewer_bj2


def test_a_decided_task_cannot_be_decided_again(submitted_bj, reviewer_bj):
    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    with pytest.raises(Conflict):
        task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="x")
    submitted_bj.refresh_from_db()
    assert submitted_bj.status == OrganizationStatus.APPROVED


def test_a_decision_that_does_not_exist_at_the_stage_is_a_conflict(submitted_bj, reviewer_bj):
    task = open_task(submitted_bj)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    with pytest.raises(Conflict):
        task_decide(task_id=task.pk, actor=reviewer_bj, decision="recommend_approval")
    task.refresh_from_db()
    assert task.status == TaskStatus.CLAIMED


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_exactly_one_wins(reference_data):
    from tests.factories import make_staff

    first = make_staff("r1", "reviewer", "110000")
    org = make_submitted(make_user(), "110108")
    task = open_task(org)
    task_claim(task_id=task.pk, actor=first)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def decide(decision: str, reasons: str) -> None:
        barrier.wait()
        try:
            task_decide(task_id=task.pk, actor=first, decision=decision, reasons=reasons)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=args) for args in [("approve", ""), ("return", "缺材料")]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    assert ReviewTask.objects.get(id=task.pk).status == TaskStatus.DECIDED
    assert AuditEvent.objects.filter(action="review_task.decided", subject_id=task.pk).count() == 1
