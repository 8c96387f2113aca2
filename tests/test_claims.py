"""Claiming an entity imported from CAC's published lists: register, name a published number, be reviewed;
on approval the registration moves into the entity, which keeps its entity ID and its filings."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.errors import Conflict, ValidationFailed
from accounts.models import Organization, User
from accounts.services.organizations import organization_create, organization_submit, organization_update
from filings.models import Filing, PublicListing
from supervision.services.review import task_claim, task_decide
from tests.conftest import api_as, web_as
from tests.factories import CAC_SAMPLE, NETEASE_PUSH, add_documents, complete_data, make_user, open_task

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def imported(db: None) -> Organization:
    call_command("import_published_lists", "--dir", str(CAC_SAMPLE), verbosity=0)
    return Organization.objects.get(entity_id=NETEASE_PUSH[10:17])


def _claim(user: User, number: str = NETEASE_PUSH, **overrides: str) -> Organization:
    data = {"name": "北京网易传媒有限公司", **overrides}
    registration = organization_create(actor=user, data=complete_data("110101", claim_number=number, **data))
    add_documents(registration, user)
    return organization_submit(organization_id=registration.pk, actor=user)


def test_an_approved_claim_takes_over_the_entity_and_its_filings(imported, reviewer_bj, supervisor):
    # given a provider who names one of the entity's published numbers when registering
    user = make_user()
    filings = set(Filing.objects.filter(organization=imported).values_list("pk", flat=True))
    published_as = imported.name
    assert filings and imported.imported and imported.members.count() == 0
    registration = _claim(user, name="北京网易传媒科技有限公司")
    # the reviewer sees what is claimed
    task = open_task(registration)
    page = web_as(reviewer_bj).get(f"/review/tasks/{task.pk}/").content.decode()
    assert 'id="id_claims"' in page and imported.entity_id in page
    # when the province's reviewer approves
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    # then the provider belongs to the entity, which keeps its entity ID and filings and is no longer imported
    user.refresh_from_db()
    imported.refresh_from_db()
    registration.refresh_from_db()
    assert user.organization_id == imported.pk and not imported.imported
    assert imported.entity_id == NETEASE_PUSH[10:17] and imported.uscc and imported.name == "北京网易传媒科技有限公司"
    assert registration.merged_into_id == imported.pk and registration.uscc == ""
    assert set(imported.attachments.values_list("kind", flat=True)) == {"business_licence", "commitment_letter"}
    listed = web_as(user).get("/filings/").content.decode()
    assert all(f"/filings/{pk}/" in listed for pk in filings)
    # the published listings keep the name they were published under
    listing = PublicListing.objects.get(filing_number=NETEASE_PUSH)
    assert listing.organization_name == "北京网易传媒科技有限公司"
    assert f"主体原名称：{published_as}" in listing.remarks
    # the retired registration is gone from the regulators' list; the entity is there, registered here
    html = web_as(supervisor).get("/supervision/organizations/", {"q": "网易传媒科技"}).content.decode()
    assert f"/organizations/{imported.pk}/" in html and f"/organizations/{registration.pk}/" not in html
    # its own page and trail stay: the entity's history includes the registration's events
    assert web_as(supervisor).get(f"/organizations/{registration.pk}/").status_code == 200
    from accounts.selectors import organization_history

    actions = {(e.action, e.subject_id) for e in organization_history(imported)}
    assert ("organization.created", registration.pk) in actions and ("organization.claimed", imported.pk) in actions
    assert api_as(user).get("/api/v1/me/").json()["organization"]["id"] == imported.pk


def test_a_claim_must_name_a_number_of_an_imported_entity(imported, provider_b):
    user = make_user()
    cases = {
        "网信算备123号": "21 位数字",
        "网信算备110101999999902220011号": "没有已公示的主体",
        # the entity's ID with an invented rest: not one of its published numbers
        f"网信算备110101{NETEASE_PUSH[10:17]}02269999号": "没有已公示的主体",
        f"网信算备440305{provider_b.organization.entity_id}02260011号": "已在本系统登记",
    }
    for number, message in cases.items():
        with pytest.raises(ValidationFailed) as refused:
            organization_create(actor=user, data=complete_data("110101", claim_number=number))
        assert message in " ".join(refused.value.errors["claim_number"]), number
    # nothing was stored, and the web form says so in the provider's language
    assert not Organization.objects.filter(created_by=user).exists()
    response = web_as(user).post("/organization/new/", {**complete_data("110101"), "claim_number": "网信算备123号"})
    assert response.status_code == 400 and "网信算备、21 位数字和“号”" in response.content.decode()
    assert not Organization.objects.filter(created_by=user).exists()
    api = api_as(user).post(
        "/api/v1/organizations/", {"name": "某公司", "claim_number": "网信算备110101999999902220011号"}
    )
    assert api.status_code == 400 and "claim_number" in api.json()
    assert not Organization.objects.filter(created_by=user).exists()


def test_one_claim_at_a_time_and_never_twice(imported, reviewer_bj):
    first, second = make_user(), make_user()
    registration = _claim(first)
    # a second claim of the same entity waits while the first is under review: nothing changes
    draft = organization_create(actor=second, data=complete_data("110101", claim_number=NETEASE_PUSH))
    add_documents(draft, second)
    with pytest.raises(Conflict):
        organization_submit(organization_id=draft.pk, actor=second)
    draft.refresh_from_db()
    assert draft.status == "draft"
    # the first is approved; the second can no longer name the entity
    task = open_task(registration)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    with pytest.raises(ValidationFailed):
        organization_update(organization_id=draft.pk, actor=second, data={"claim_number": NETEASE_PUSH})


def test_a_returned_claim_keeps_its_claim_and_a_blank_number_withdraws_it(imported, reviewer_bj):
    user = make_user()
    registration = _claim(user)
    task = open_task(registration)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="营业执照不清晰")
    registration.refresh_from_db()
    assert registration.status == "returned" and registration.claims_id == imported.pk
    # withdrawing the claim (a blank number) makes it an ordinary registration again
    organization_update(organization_id=registration.pk, actor=user, data={"claim_number": ""})
    registration.refresh_from_db()
    assert registration.claims_id is None
    imported.refresh_from_db()
    assert imported.imported and imported.members.count() == 0


def test_a_claim_is_made_in_the_entitys_province(imported):
    user = make_user()
    registration = organization_create(actor=user, data=complete_data("440305", claim_number=NETEASE_PUSH))
    add_documents(registration, user)
    with pytest.raises(ValidationFailed) as refused:
        organization_submit(organization_id=registration.pk, actor=user)
    assert "registered_division_code" in refused.value.errors
    registration.refresh_from_db()
    assert registration.status == "draft"


def test_a_reviewer_in_conflict_with_the_entity_cannot_decide_its_claim(imported, reviewer_bj, reviewer_bj2):
    from accounts.errors import ActionForbidden
    from supervision.services.assignment import conflict_declare

    conflict_declare(reviewer=reviewer_bj, organization_id=imported.pk, reason="曾任该公司顾问")
    registration = _claim(make_user())
    task = open_task(registration)
    with pytest.raises(ActionForbidden):
        task_claim(task_id=task.pk, actor=reviewer_bj)
    task.refresh_from_db()
    assert task.assignee_id is None
    task_claim(task_id=task.pk, actor=reviewer_bj2)  # another reviewer of the office may


def test_nobody_acts_for_the_retired_registration(imported, reviewer_bj):
    from accounts.services.members import invitation_accept, invitation_create

    user = make_user()
    registration = _claim(user)
    _invitation, token = invitation_create(
        organization_id=registration.pk, actor=user, email="colleague@example.cn", role="provider_member"
    )
    task = open_task(registration)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    colleague = make_user(email="colleague@example.cn")
    with pytest.raises(Conflict):  # the invitation was withdrawn with the registration
        invitation_accept(token=token, user=colleague)
    colleague.refresh_from_db()
    assert colleague.organization_id is None
    registration.refresh_from_db()
    assert registration.members.count() == 0
    assert not user.__class__.objects.get(pk=user.pk).has_perm("accounts.file_algorithms", registration)


def test_filing_drafts_begun_during_the_claim_move_with_it(imported, reviewer_bj):
    from tests.factories import make_filing_draft

    user = make_user()
    registration = _claim(user)
    draft = make_filing_draft(user, name="认领期间起草的算法")
    assert draft.organization_id == registration.pk
    task = open_task(registration)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    draft.refresh_from_db()
    assert draft.organization_id == imported.pk and draft.province_code == imported.province_code
    assert f"/filings/{draft.pk}/" in web_as(user).get("/filings/").content.decode()
