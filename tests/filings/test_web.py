import pytest

from filings.models import Filing, FilingVersion
from tests.conftest import web_as
from tests.factories import add_filing_documents, make_filing_approved, make_filing_draft, make_filing_submitted

pytestmark = pytest.mark.usefixtures("reference_data")


def _step_post(client, filing, step, data, **extra):
    filing.refresh_from_db()
    payload = {"version": filing.version, **data, **extra}
    return client.post(f"/filings/{filing.pk}/edit/{step}/", payload)


def test_the_wizard_saves_invalid_input_as_typed_and_shows_the_error(provider_a):
    filing = make_filing_draft(provider_a)
    client = web_as(provider_a)
    response = _step_post(
        client,
        filing,
        "basic",
        {
            "name": "新名字",
            "launch_date": "2026-02-31",
            "algorithm_type": "personalized_push",
            "role": "service_provider",
            "application_field": "x",
        },
        goto="basic",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2026-02-31"' in html  # what was typed is shown again
    data = FilingVersion.objects.get(filing=filing).data
    assert (data["name"], data["launch_date"]) == ("新名字", "2026-02-31")
    # Coming back later shows the invalid value and its error again.
    again = client.get(f"/filings/{filing.pk}/edit/basic/").content.decode()
    assert 'value="2026-02-31"' in again and "invalid-feedback" in again


def test_leaving_a_step_saves_it_and_goes_where_asked(provider_a):
    filing = make_filing_draft(provider_a)
    client = web_as(provider_a)
    response = _step_post(
        client, filing, "detail", {"introduction": "新的简介", "input_modalities": ["text"]}, goto="tiering"
    )
    assert response.status_code == 302 and response["Location"].endswith("/edit/tiering/")
    assert FilingVersion.objects.get(filing=filing).data["introduction"] == "新的简介"


def test_autosave_answers_with_the_new_version(provider_a):
    filing = make_filing_draft(provider_a)
    client = web_as(provider_a)
    response = client.post(
        f"/filings/{filing.pk}/autosave/disclosure/",
        {"version": filing.version, "disclosure_purpose": "自动保存的内容"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    filing.refresh_from_db()
    assert (
        f'value="{filing.version}"' in response.content.decode() and 'hx-swap-oob="true"' in response.content.decode()
    )
    assert FilingVersion.objects.get(filing=filing).data["disclosure_purpose"] == "自动保存的内容"


def test_a_second_tab_gets_a_conflict_and_nothing_is_overwritten(provider_a):
    filing = make_filing_draft(provider_a)
    seen = filing.version
    client = web_as(provider_a)
    first = client.post(
        f"/filings/{filing.pk}/edit/basic/",
        {"version": seen, "name": "第一个标签页", "goto": "basic"},
    )
    assert first.status_code == 302
    second = client.post(
        f"/filings/{filing.pk}/edit/basic/",
        {"version": seen, "name": "第二个标签页", "goto": "basic"},
    )
    assert second.status_code == 409
    assert "第二个标签页" in second.content.decode()  # still on screen to copy
    assert Filing.objects.get(id=filing.pk).name == "第一个标签页"


def test_products_can_be_added_and_removed(provider_a):
    filing = make_filing_draft(provider_a)
    client = web_as(provider_a)
    product = filing_data_product()
    data = {"products-TOTAL_FORMS": "2", "products-INITIAL_FORMS": "0", "technical_service_mode": ""}
    for index, item in enumerate([product, {**product, "name": "第二个产品"}]):
        data.update({f"products-{index}-{k}": v for k, v in item.items()})
    data["products-1-DELETE"] = "on"
    assert _step_post(client, filing, "service", data, goto="service").status_code == 302
    products = FilingVersion.objects.get(filing=filing).data["products"]
    assert [p["name"] for p in products] == ["某某资讯"]


def filing_data_product():
    from tests.factories import filing_data

    return filing_data()["products"][0]


def test_preview_shows_the_public_part_and_submission_lists_problems(provider_a):
    filing = make_filing_draft(provider_a)
    client = web_as(provider_a)
    preview = client.get(f"/filings/{filing.pk}/preview/").content.decode()
    assert 'id="public-preview"' in preview and "基于用户行为的协同过滤" in preview
    refused = client.post(f"/filings/{filing.pk}/submit/")
    assert refused.status_code == 400
    assert f"/filings/{filing.pk}/edit/documents/" in refused.content.decode()
    add_filing_documents(filing.pk, provider_a)
    assert client.post(f"/filings/{filing.pk}/submit/").status_code == 302
    assert Filing.objects.get(id=filing.pk).status == "submitted"


def test_the_list_shows_deadlines_and_the_next_step(provider_a, django_assert_max_num_queries):
    for index in range(3):
        make_filing_draft(provider_a, name=f"算法{index}")
    make_filing_submitted(provider_a, name="已提交的算法")
    client = web_as(provider_a)
    # session, user, roles, unread count, one page of filings with organisations, session refresh (3)
    with django_assert_max_num_queries(8):
        response = client.get("/filings/")
    html = response.content.decode()
    assert html.count("/filings/") >= 4 and "2026-03-02" in html


@pytest.mark.parametrize(
    ("persona", "detail", "edit"),
    [
        ("provider_a", 200, 200),
        ("provider_b", 404, 404),
        ("reviewer_bj", 200, 404),
        ("reviewer_gd", 404, 404),
        ("central_reviewer", 200, 404),
        ("supervisor", 200, 404),
        ("anonymous", 302, 302),
    ],
    indirect=["persona"],
)
def test_filing_pages_by_persona(persona, detail, edit, provider_a):
    filing = make_filing_draft(provider_a)
    client = web_as(persona)
    assert client.get(f"/filings/{filing.pk}/").status_code == detail
    assert client.get(f"/filings/{filing.pk}/edit/basic/").status_code == edit
    assert client.get(f"/filings/{filing.pk}/preview/").status_code == edit
    response = client.post(f"/filings/{filing.pk}/edit/basic/", {"name": "被改", "version": filing.version})
    assert Filing.objects.get(id=filing.pk).name != "被改" or persona == provider_a
    del response


def test_change_and_cancellation_pages(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    client = web_as(provider_a)
    assert client.get(f"/filings/{filing.pk}/").status_code == 200
    bad = client.post(f"/filings/{filing.pk}/change/", {"change_date": "2099-01-01", "summary": ""})
    assert bad.status_code == 400
    ok = client.post(
        f"/filings/{filing.pk}/change/", {"change_date": str(filing.approved_at.date()), "summary": "更新产品"}
    )
    assert ok.status_code == 302
    assert filing.versions.count() == 2
    diff = client.get(f"/filings/{filing.pk}/diff/?from=1&to=2")
    assert diff.status_code == 200


def test_a_reviewer_sees_the_filing_under_review(provider_a, reviewer_bj):
    from supervision.models import ReviewTask

    filing = make_filing_submitted(provider_a)
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk)
    html = web_as(reviewer_bj).get(f"/review/tasks/{task.pk}/").content.decode()
    assert filing.name in html and "基于用户行为的协同过滤" in html
