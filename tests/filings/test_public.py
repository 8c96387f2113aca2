"""The public registry: search (one- and two-character Chinese), public pages, number verification."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from filings import numbers, search
from filings.models import Filing, PublicListing
from filings.services.changes import filing_cancel_request
from filings.services.regulator import filing_regulator_end
from supervision.walkthrough import decide_all_stages
from tests.conftest import api_as, web_as
from tests.factories import (
    filing_data,
    make_filing_approved,
    make_filing_draft,
    make_filing_published,
    publish_batch,
    rename_organization,
)
from tests.sheets import xlsx_rows

pytestmark = pytest.mark.usefixtures("reference_data")

SECRET = "训练数据为内部保密的点击日志"


def _published(provider, reviewer, supervisor, **overrides):
    return make_filing_published(provider, reviewer, supervisor, models_and_datasets=SECRET, **overrides)


@pytest.mark.parametrize(
    "text",
    [
        "腾讯混元大模型",
        "DeepSeek-V3 推理",
        "网信算备110108970550101240011号",
        "a",
        "抖音，个性化推荐！",
        "",
        "ＡＢＣ全角",
        "㐀𠀀",
    ],
)
def test_the_sql_tokeniser_and_the_python_one_agree(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(beian_search_tokens(%s))", [text])
        (sql_tokens,) = cursor.fetchone()
    assert set(sql_tokens) == search.document_tokens(text)


def test_published_filings_are_found_by_one_two_and_four_characters(provider_a, reviewer_bj, supervisor):
    filing = _published(provider_a, reviewer_bj, supervisor, name="智询资讯推荐算法")
    for query in ("推", "推荐", "资讯推荐", "智询资讯推荐算法", "算备", filing.filing_number[4:12]):
        rows = web_as(None).get("/registry/", {"q": query}).content.decode()
        assert filing.filing_number in rows, query
    # out-of-order bigrams do not count as the phrase
    assert filing.filing_number not in web_as(None).get("/registry/", {"q": "推荐资讯"}).content.decode()


def test_only_published_and_cancelled_filings_are_searchable(provider_a, reviewer_bj, supervisor):
    unpublished = make_filing_approved(provider_a, reviewer_bj, name="尚未公示的算法")
    make_filing_draft(provider_a, name="草稿中的算法")
    cancelled = _published(provider_a, reviewer_bj, supervisor, name="已经注销的算法")
    cancellation = filing_cancel_request(
        filing_id=cancelled.pk, actor=provider_a, termination_date=datetime.date(2026, 11, 2), arrangements="已处理"
    )
    decide_all_stages(subject_type="cancellation", subject_id=cancellation.pk, decision="approve")
    revoked = _published(provider_a, reviewer_bj, supervisor, name="被撤销的算法")
    filing_regulator_end(filing_id=revoked.pk, actor=reviewer_bj, action="revoke", reasons="虚假材料")
    body = api_as(None).get("/api/v1/public/filings/", {"q": "算法"}).json()
    found = {row["name"]: row for row in body["results"]}
    assert set(found) == {"已经注销的算法"}
    assert found["已经注销的算法"]["status"] == "cancelled" and "已注销" in found["已经注销的算法"]["remarks"]
    assert unpublished.filing_number not in str(body)


def test_the_public_page_shows_public_columns_and_never_confidential_ones(provider_a, reviewer_bj, supervisor):
    filing = _published(provider_a, reviewer_bj, supervisor, disclosure_principle="基于用户兴趣的协同过滤")
    page = web_as(None).get(f"/registry/{filing.filing_number}/")
    html = page.content.decode()
    assert page.status_code == 200 and "基于用户兴趣的协同过滤" in html and "某某资讯（APP）" in html
    assert SECRET not in html and "/documents/" not in html
    assert web_as(None).get(f"/verify/{filing.filing_number}/qr.svg")["Content-Type"] == "image/svg+xml"
    # a filing that is not published has no public page
    unpublished = make_filing_approved(provider_a, reviewer_bj)
    assert web_as(None).get(f"/registry/{unpublished.filing_number}/").status_code == 404


def test_verification_answers_by_the_contract(provider_a, reviewer_bj, supervisor):
    filing = _published(provider_a, reviewer_bj, supervisor)
    client = api_as(None)
    ok = client.get(f"/api/v1/public/verify/{filing.filing_number}/").json()
    assert ok == {
        "number": filing.filing_number,
        "format_valid": True,
        "status": "active",
        "reassessment_overdue": False,
        "name": filing.name,
        "organization": filing.organization.name,
        "algorithm_type": "personalized_push",
        "changed_on": ok["changed_on"],
    }
    # a known number with a wrong check digit is still answered
    digits = numbers.parse(filing.filing_number)
    assert digits is not None
    wrong = f"{numbers.PREFIX}{digits[:20]}{(int(digits[20]) + 2) % 10}{numbers.SUFFIX}"
    Filing.objects.filter(pk=filing.pk).update(filing_number=wrong)
    PublicListing.objects.filter(pk=filing.pk).update(filing_number=wrong)
    flagged = client.get(f"/api/v1/public/verify/{wrong}/")
    assert flagged.status_code == 200 and flagged.json()["format_valid"] is False
    # an unknown number of the right pattern is 404; something else is 400
    unknown = numbers.compose(division="110108", entity_id="1234567", category="02", year=2026, serial=9)
    assert client.get(f"/api/v1/public/verify/{unknown}/").status_code == 404
    assert client.get("/api/v1/public/verify/hello/").status_code == 400
    assert web_as(None).get("/verify/hello/").status_code == 400
    assert web_as(None).get(f"/verify/{wrong}").status_code == 200  # without the slash, as the issue writes it
    assert web_as(None).get(f"/verify/{unknown}/").status_code == 404


def test_a_filed_but_unpublished_number_verifies_as_active(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    body = api_as(None).get(f"/api/v1/public/verify/{filing.filing_number}/").json()
    assert body["status"] == "active" and body["name"] == filing.name


def test_an_overdue_reassessment_shows_in_the_public_status(provider_a, reviewer_bj, supervisor):
    filing = _published(provider_a, reviewer_bj, supervisor)
    Filing.objects.filter(pk=filing.pk).update(reassessment_overdue=True)
    assert api_as(None).get(f"/api/v1/public/verify/{filing.filing_number}/").json()["reassessment_overdue"] is True
    assert "text-bg-warning" in web_as(None).get(f"/verify/{filing.filing_number}/").content.decode()


def test_public_endpoints_are_rate_limited_per_client(settings, provider_a, reviewer_bj, supervisor):
    settings.BEIAN_RATE_LIMITS = {**settings.BEIAN_RATE_LIMITS, "public_search": (2, 60), "public_verify": (1, 60)}
    client = api_as(None)
    assert [client.get("/api/v1/public/filings/").status_code for _ in range(3)] == [200, 200, 429]
    web = web_as(None)
    assert web.get("/registry/").status_code == 429 and "Retry-After" in web.get("/registry/")
    other = api_as(None)
    other.defaults["REMOTE_ADDR"] = "10.0.0.9"
    assert other.get("/api/v1/public/filings/").status_code == 200
    assert web.get("/verify/网信算备110108823483902220017号/").status_code == 404
    assert web.get("/verify/网信算备110108823483902220017号/").status_code == 429


def test_the_registry_takes_a_fixed_number_of_queries(
    provider_a, reviewer_bj, supervisor, django_assert_max_num_queries
):
    for n in range(3):
        _published(provider_a, reviewer_bj, supervisor, name=f"推荐算法{n}")
    web_as(None).get("/registry/", {"q": "推荐"})
    # rate counter, the window floor, the page, its filings (and, for a long result, the counts)
    with django_assert_max_num_queries(6):
        assert web_as(None).get("/registry/", {"q": "推荐"}).status_code == 200
    with django_assert_max_num_queries(6):
        assert len(api_as(None).get("/api/v1/public/filings/", {"q": "推荐"}).json()["results"]) == 3


def test_an_approved_change_and_a_new_entity_name_show_publicly(provider_a, reviewer_bj, supervisor):
    from filings.services.changes import filing_change_open
    from filings.services.drafts import filing_save
    from filings.services.submission import filing_submit

    filing = _published(provider_a, reviewer_bj, supervisor)
    version = filing_change_open(
        filing_id=filing.pk, actor=provider_a, change_date=datetime.date(2026, 11, 20), summary="改名"
    )
    filing.refresh_from_db()
    filing_save(filing_id=filing.pk, actor=provider_a, data={"name": "智询新名称算法"}, expected_version=filing.version)
    filing_submit(filing_id=filing.pk, actor=provider_a)
    decide_all_stages(subject_type="change", subject_id=version.pk, decision="approve")
    listing = PublicListing.objects.get(pk=filing.pk)
    assert listing.name == "智询新名称算法" and "变更" in listing.remarks
    # the entity's new name
    rename_organization(filing.organization_id, provider_a, reviewer_bj, "北京新名称科技有限公司")
    listing.refresh_from_db()
    assert listing.organization_name == "北京新名称科技有限公司"


def test_the_recent_window_and_the_index_give_the_same_pages(monkeypatch, provider_a, reviewer_bj, supervisor):
    from filings import public

    monkeypatch.setattr(public, "RECENT_WINDOW", 2)
    common = [_published(provider_a, reviewer_bj, supervisor, name=f"智能推荐算法{n}").pk for n in range(4)]
    rare = _published(provider_a, reviewer_bj, supervisor, name="罕见的调度算法").pk
    for n in range(3):
        _published(provider_a, reviewer_bj, supervisor, name=f"其他算法{n}")
    # a common phrase: found in the newest rows; paging continues below them
    first = public.public_search(q="智能推荐", size=3)
    assert [r.filing_id for r in first.rows] == sorted(common, reverse=True)[:3] and first.total == 4
    second = public.public_search(q="智能推荐", size=3, before=first.next_before)
    assert [r.filing_id for r in second.rows] == [min(common)] and second.next_before is None
    # a rare term: not among the newest rows, found through the index
    found = public.public_search(q="罕见")
    assert [r.filing_id for r in found.rows] == [rare] and found.total == 1
    # filters apply in both passes: in the window (the newest rows are Beijing's) and through the index
    assert public.public_search(q="智能推荐", province="11", size=3).rows == first.rows
    assert public.public_search(q="智能推荐", province="44").rows == []
    assert public.public_search(q="智能推荐", algorithm_type="generation_synthesis").rows == []
    assert [r.filing_id for r in public.public_search(q="罕见", province="11").rows] == [rare]


def test_the_search_api_pages_forwards_and_back_by_the_contract(monkeypatch, provider_a, reviewer_bj, supervisor):
    from filings import public

    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    monkeypatch.setattr(public, "RECENT_WINDOW", 3)  # both passes of the search take part
    ids = sorted(
        (_published(provider_a, reviewer_bj, supervisor, name=f"推荐算法{n}").pk for n in range(5)), reverse=True
    )
    _published(provider_a, reviewer_bj, supervisor, name="其他算法")
    client = api_as(None)
    pages, url = [], "/api/v1/public/filings/?q=推荐"
    while url:
        body = client.get(url).json()
        assert set(body) >= {"results", "next", "previous"}
        pages.append([row["number"] for row in body["results"]])
        if len(pages) == 1:
            assert body["previous"] is None and body["count"] == 5
        url = body["next"]
        last = body
    assert len(pages) == 3 and last["next"] is None
    # back from the last page: the same pages in reverse, then no previous
    back, url = [], last["previous"]
    while url:
        body = client.get(url).json()
        back.append([row["number"] for row in body["results"]])
        assert body["next"] is not None and body["count"] == 5
        url = body["previous"]
    assert back == pages[-2::-1]
    assert sum(len(page) for page in pages) == len(ids)
    # the web registry pages the same way
    web = web_as(None)
    first = web.get("/registry/", {"q": "推荐"}).content.decode().replace("&amp;", "&")
    assert 'id="previous-page"' not in first
    second_url = "/registry/" + first.split('id="next-page" href="', 1)[1].split('"', 1)[0]
    second = web.get(second_url).content.decode().replace("&amp;", "&")
    back_url = "/registry/" + second.split('id="previous-page" href="', 1)[1].split('"', 1)[0]
    back_page = web.get(back_url).content.decode()
    assert all(number in back_page for number in pages[0])
    assert not any(number in back_page for number in pages[1])


def test_no_confidential_field_reaches_any_public_page_or_api(provider_a, reviewer_bj, central_reviewer, supervisor):
    """Every free-text field the policy does not mark public carries a marker; none may appear publicly."""
    from filings.fields import FIELDS, PRODUCT_FIELDS
    from filings.services import batches

    markers = {
        spec.key: f"机密{spec.key}标记"
        for spec in FIELDS
        if not spec.public and spec.kind in ("text", "longtext") and spec.key not in ("name",)
    }
    product = {"name": "某某资讯", "service_form": "app", "url": "https://news.example.cn"}
    product_markers = {
        spec.key: f"机密产品{spec.key}标记"
        for spec in PRODUCT_FIELDS
        if spec.kind in ("text", "longtext") and spec.key not in ("name", "url", "functions")
    }
    product_markers["functions"] = "机密功能标记：仅内部可见"  # one function per line: "name：what it does"
    products = [{**filing_data()["products"][0], **product, **product_markers}]
    # non-text confidential values, distinctive enough to be recognised anywhere
    filing = make_filing_approved(
        provider_a,
        reviewer_bj,
        **markers,
        products=products,
        launch_date="2019-03-17",
        monthly_active_users=87654321,
    )
    organization = filing.organization
    batch = publish_batch(supervisor)
    client, api = web_as(None), api_as(None)
    api_rows = api.get("/api/v1/public/filings/", {"q": "某某资讯"}).json()["results"]
    surfaces = [
        client.get(f"/registry/{filing.filing_number}/").content.decode(),
        client.get("/registry/", {"q": "某某资讯"}).content.decode(),
        client.get(f"/verify/{filing.filing_number}/").content.decode(),
        client.get(f"/registry/batches/{batch.pk}/").content.decode(),
        client.get(f"/registry/batches/{batch.pk}/csv/").getvalue().decode("utf-8"),
        str(xlsx_rows(client.get(f"/registry/batches/{batch.pk}/xlsx/").getvalue())),
        client.get(f"/registry/batches/{batch.pk}/json/").content.decode("unicode_escape"),
        str(api_rows),
        str(api.get(f"/api/v1/public/verify/{filing.filing_number}/").json()),
    ]
    # cancelled: the notice and its downloads, and the feed
    cancellation = filing_cancel_request(
        filing_id=filing.pk, actor=provider_a, termination_date=datetime.date(2026, 11, 2), arrangements="已处理"
    )
    decide_all_stages(subject_type="cancellation", subject_id=cancellation.pk, decision="approve")
    notice = batches.notice_open(actor=supervisor)
    batches.notice_add(notice_id=notice.pk, actor=supervisor)
    batches.notice_publish(notice_id=notice.pk, actor=supervisor)
    surfaces += [
        client.get(f"/registry/notices/{notice.pk}/").content.decode(),
        client.get(f"/registry/notices/{notice.pk}/csv/").getvalue().decode("utf-8"),
        str(xlsx_rows(client.get(f"/registry/notices/{notice.pk}/xlsx/").getvalue())),
        client.get(f"/registry/notices/{notice.pk}/json/").content.decode("unicode_escape"),
        client.get(f"/registry/{filing.filing_number}/").content.decode(),
    ]
    feed = client.get("/registry/batches/feed.atom").content.decode()
    confidential = {
        **markers,
        **product_markers,
        "launch_date": "2019-03-17",
        "launch_date (zh)": "2019年3月17日",
        "monthly_active_users": "87654321",
        "monthly_active_users (grouped)": "87,654,321",
        "uscc": organization.uscc,
        "address": organization.address,
        "legal_rep_name": organization.legal_rep_name,
        "legal_rep_id_number": organization.legal_rep_id_number,
        "security_officer_name": organization.security_officer_name,
        "security_officer_id_number": organization.security_officer_id_number,
        "security_officer_mobile": organization.security_officer_mobile,
        "security_officer_email": organization.security_officer_email,
    }
    assert markers and product_markers and all(confidential.values())
    for surface in [*surfaces, feed]:
        for key, marker in confidential.items():
            assert marker not in surface, key
        assert "/documents/" not in surface and "/attachments/" not in surface
    for surface in surfaces:
        assert filing.filing_number in surface
    # the API's rows carry the public columns and nothing else
    (row,) = api_rows
    assert set(row) == {
        "number",
        "name",
        "list",
        "category",
        "algorithm_type",
        "role",
        "organization",
        "products",
        "purpose",
        "province",
        "remarks",
        "status",
        "reassessment_overdue",
        "disclosure",
        "published_on",
        "changed_on",
    }, sorted(row)


@pytest.mark.parametrize("q", ["推", "推荐", "智能推荐", "Tencent"])
def test_one_and_two_character_queries_are_answered_by_the_index(q, provider_a, reviewer_bj, supervisor):
    """With sequential scans off, the plan shows which index can serve the query: the GIN index on the
    listings' CJK unigram and bigram vector for the match, the primary key for the recent window."""
    from filings import public

    _published(provider_a, reviewer_bj, supervisor, name="智能推荐算法")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        matched = public.search_queryset(q).order_by("-filing_id")[:21]
        plan = matched.explain()
        assert "listing_search" in plan and "Seq Scan" not in plan, plan
        sql, params = public.recent_sql(q, "", "", limit=21)
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # the window walks the primary key and stops; the match is a filter on its rows
        assert "listing_search" not in plan and "filings_publiclisting_pkey" in plan, plan
