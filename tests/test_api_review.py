import pytest

from accounts.models import Organization
from supervision.models import ReviewTask
from tests.conftest import api_as, token_client
from tests.factories import make_submitted, make_user, open_task

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def bj_task():
    return open_task(make_submitted(make_user(), "110108"))


@pytest.mark.parametrize(
    ("persona", "listed", "detail"),
    [
        ("reviewer_bj", True, 200),
        ("reviewer_gd", False, 404),
        ("central_reviewer", True, 200),
        ("supervisor", True, 200),
        ("provider_a", None, 404),
        ("anonymous", None, 401),
    ],
    indirect=["persona"],
)
def test_who_sees_a_beijing_task(persona, listed, detail, bj_task):
    client = api_as(persona)
    response = client.get("/api/v1/review/tasks/")
    if listed is None:
        assert response.status_code in (401, 404)
    else:
        ids = [row["id"] for row in response.json()["results"]]
        assert (bj_task.pk in ids) is listed
    assert client.get(f"/api/v1/review/tasks/{bj_task.pk}/").status_code == detail


def test_task_fields_follow_the_contract(bj_task, reviewer_bj):
    row = api_as(reviewer_bj).get("/api/v1/review/tasks/").json()["results"][0]
    assert {"id", "subject_type", "subject_id", "stage", "status", "assignee", "due", "decision_due"} <= set(row)
    assert (row["subject_type"], row["stage"], row["status"], row["assignee"]) == (
        "organization",
        "provincial_review",
        "open",
        None,
    )


def test_claim_decide_flow_and_conflicts(bj_task, reviewer_bj, reviewer_bj2, reviewer_gd):
    mine, other = api_as(reviewer_bj), api_as(reviewer_bj2)
    url = f"/api/v1/review/tasks/{bj_task.pk}/"
    assert api_as(reviewer_gd).post(url + "claim/").status_code == 404
    assert mine.post(url + "claim/").status_code == 200
    assert other.post(url + "claim/").status_code == 409
    assert other.post(url + "decide/", {"decision": "approve"}, format="json").status_code == 403
    no_reason = mine.post(url + "decide/", {"decision": "return"}, format="json")
    assert no_reason.status_code == 400 and "reasons" in no_reason.json()
    not_here = mine.post(url + "decide/", {"decision": "recommend_approval"}, format="json")
    assert not_here.status_code == 409
    done = mine.post(
        url + "decide/",
        {"decision": "return", "reasons": "请补充材料", "item_reasons": {"address": "不一致"}},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["subject"]["status"] == "returned"
    assert mine.post(url + "decide/", {"decision": "approve"}, format="json").status_code == 409
    assert Organization.objects.get(id=bj_task.subject_id).status == "returned"


def test_filters_and_mine(bj_task, reviewer_bj):
    client = api_as(reviewer_bj)
    assert client.get("/api/v1/review/tasks/?mine=true").json()["results"] == []
    client.post(f"/api/v1/review/tasks/{bj_task.pk}/claim/")
    assert [r["id"] for r in client.get("/api/v1/review/tasks/?mine=true").json()["results"]] == [bj_task.pk]
    assert client.get("/api/v1/review/tasks/?subject_type=filing").json()["results"] == []
    assert len(client.get("/api/v1/review/tasks/?status=claimed").json()["results"]) == 1


def test_task_list_query_count_does_not_grow(reviewer_bj, django_assert_num_queries):
    for _ in range(5):
        make_submitted(make_user(), "110108")
    client = token_client(reviewer_bj)
    # token + user, roles, office, one page of tasks joined to organisation, office and assignee
    with django_assert_num_queries(4):
        response = client.get("/api/v1/review/tasks/")
    assert len(response.json()["results"]) == 5
    assert ReviewTask.objects.count() == 5
