"""Publication in batches and cancellation notices: assembled, reviewed and published by the central office."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from filings.models import BatchEntry, CancellationNotice, Filing, PublicListing
from filings.services import batches
from filings.services.changes import filing_cancel_request
from supervision.walkthrough import decide_all_stages
from tests.conftest import web_as
from tests.factories import make_filing_approved, publish_batch, rename_organization

pytestmark = pytest.mark.usefixtures("reference_data")


def _approved(provider, reviewer, n=2, **overrides):
    return [make_filing_approved(provider, reviewer, name=f"推荐算法{i}", **overrides) for i in range(n)]


def test_a_batch_is_assembled_reviewed_and_published_at_once(provider_a, reviewer_bj, supervisor):
    # given two approved filings of the algorithm list and one generation-synthesis filing
    first, second = _approved(provider_a, reviewer_bj)
    synthesis = make_filing_approved(
        provider_a, reviewer_bj, name="生成合成算法", algorithm_type="generation_synthesis"
    )
    # when the central supervisor opens the next batch, adds what waits and publishes
    batch = batches.batch_open(actor=supervisor, series="algorithm")
    assert batches.batch_open(actor=supervisor, series="algorithm").pk == batch.pk  # one draft per list
    assert batches.batch_add(batch_id=batch.pk, actor=supervisor) == 2
    assert web_as(None).get(f"/registry/batches/{batch.pk}/").status_code == 404  # a draft is not public
    batches.batch_publish(batch_id=batch.pk, actor=supervisor)
    # then both are published in approval order, with listings and frozen rows
    first.refresh_from_db()
    synthesis.refresh_from_db()
    assert first.status == "published" and synthesis.status == "approved"
    entries = list(BatchEntry.objects.filter(batch=batch).order_by("seq"))
    assert [(e.seq, e.filing_id) for e in entries] == [(1, first.pk), (2, second.pk)]
    assert entries[0].row["filing_number"] == first.filing_number and entries[0].row["category"] == "个性化推送类"
    assert PublicListing.objects.filter(filing__in=[first, second]).count() == 2
    page = web_as(None).get(f"/registry/batches/{batch.pk}/").content.decode()
    assert first.filing_number in page and "推荐算法0" in page


def test_only_central_supervisors_publish_and_refusals_change_nothing(
    provider_a, reviewer_bj, supervisor, supervisor_gd
):
    _approved(provider_a, reviewer_bj, n=1)
    with pytest.raises(ActionForbidden):
        batches.batch_open(actor=supervisor_gd, series="algorithm")
    batch = batches.batch_open(actor=supervisor, series="algorithm")
    batches.batch_add(batch_id=batch.pk, actor=supervisor)
    with pytest.raises(ActionForbidden):
        batches.batch_publish(batch_id=batch.pk, actor=supervisor_gd)
    response = web_as(supervisor_gd).post(f"/supervision/publication/batches/{batch.pk}/publish/", {"reviewed": "yes"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "draft" and not Filing.objects.filter(status="published").exists()
    assert web_as(provider_a).get("/supervision/publication/").status_code == 404


def test_publishing_needs_the_review_confirmed_and_at_least_one_row(provider_a, reviewer_bj, supervisor):
    batch = batches.batch_open(actor=supervisor, series="algorithm")
    with pytest.raises(ValidationFailed):
        batches.batch_publish(batch_id=batch.pk, actor=supervisor)
    _approved(provider_a, reviewer_bj, n=1)
    client = web_as(supervisor)
    client.post(f"/supervision/publication/batches/{batch.pk}/add_all/")
    client.post(f"/supervision/publication/batches/{batch.pk}/publish/")  # not confirmed
    batch.refresh_from_db()
    assert batch.status == "draft"
    response = client.post(f"/supervision/publication/batches/{batch.pk}/publish/", {"reviewed": "yes"})
    batch.refresh_from_db()
    assert batch.status == "published" and response["Location"] == f"/registry/batches/{batch.pk}/"


def test_a_filing_cancelled_while_in_a_draft_is_left_out(provider_a, reviewer_bj, supervisor):
    keep, gone = _approved(provider_a, reviewer_bj)
    batch = batches.batch_open(actor=supervisor, series="algorithm")
    batches.batch_add(batch_id=batch.pk, actor=supervisor)
    cancellation = filing_cancel_request(
        filing_id=gone.pk, actor=provider_a, termination_date=datetime.date(2026, 11, 2), arrangements="已处理"
    )
    decide_all_stages(subject_type="cancellation", subject_id=cancellation.pk, decision="approve")
    batches.batch_publish(batch_id=batch.pk, actor=supervisor)
    assert list(BatchEntry.objects.filter(batch=batch).values_list("filing_id", "seq")) == [(keep.pk, 1)]


def test_exports_are_excel_safe_csv_xlsx_json_and_atom(provider_a, reviewer_bj, supervisor):
    (formula,) = _approved(provider_a, reviewer_bj, n=1)
    Filing.objects.filter(pk=formula.pk).update(name="=HYPERLINK(1)")
    batch = publish_batch(supervisor)
    client = web_as(None)
    csv_body = client.get(f"/registry/batches/{batch.pk}/csv/").getvalue().decode("utf-8")
    assert csv_body.startswith("\ufeff") and "'=HYPERLINK(1)" in csv_body and "序号" in csv_body
    xlsx = client.get(f"/registry/batches/{batch.pk}/xlsx/")
    archive = zipfile.ZipFile(io.BytesIO(xlsx.getvalue()))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()  # constant-memory mode writes strings inline
    assert "=HYPERLINK(1)" in sheet and "<f>" not in sheet
    rows = client.get(f"/registry/batches/{batch.pk}/json/").json()["rows"]
    assert rows[0]["filing_number"] == formula.filing_number and rows[0]["seq"] == 1
    feed = client.get("/registry/batches/feed.atom").content.decode()
    assert batch.title in feed and f"/registry/batches/{batch.pk}/" in feed


def _published_then_cancelled(provider, reviewer, supervisor, n=1):
    filings = _approved(provider, reviewer, n=n)
    batch = publish_batch(supervisor)
    for filing in filings:
        cancellation = filing_cancel_request(
            filing_id=filing.pk, actor=provider, termination_date=datetime.date(2026, 11, 2), arrangements="已处理"
        )
        decide_all_stages(subject_type="cancellation", subject_id=cancellation.pk, decision="approve")
    return batch, filings


def test_a_cancellation_notice_is_assembled_reviewed_and_published(provider_a, reviewer_bj, supervisor):
    batch, (first, second) = _published_then_cancelled(provider_a, reviewer_bj, supervisor, n=2)
    assert [f.pk for f in batches.cancelled_unannounced()] == [first.pk, second.pk]
    client = web_as(supervisor)
    # when the supervisor assembles a notice, every waiting number is in the draft, not yet public
    draft_url = client.post("/supervision/publication/notice/")["Location"]
    notice = CancellationNotice.objects.get(status="draft")
    assert draft_url == f"/supervision/publication/notices/{notice.pk}/"
    assert batches.cancelled_unannounced() == []
    assert web_as(None).get(f"/registry/notices/{notice.pk}/").status_code == 404
    # one number is left out for the next notice, and publishing needs the review confirmed
    client.post(f"{draft_url}remove/", {"filing": second.pk})
    # assembling again returns to the draft as it was left: the number taken out stays out
    assert client.post("/supervision/publication/notice/")["Location"] == draft_url
    assert list(notice.entries.values_list("filing_id", flat=True)) == [first.pk]
    assert client.post(f"{draft_url}remove/", {"filing": "x"}).status_code == 404
    client.post(f"{draft_url}publish/")
    assert CancellationNotice.objects.get(pk=notice.pk).status == "draft"
    response = client.post(f"{draft_url}publish/", {"reviewed": "yes"})
    page = web_as(None).get(response["Location"]).content.decode()
    assert first.filing_number in page and second.filing_number not in page
    assert "年" in page and "等1个算法备案编号的公告" in page
    assert [f.pk for f in batches.cancelled_unannounced()] == [second.pk]
    with pytest.raises(Conflict):
        batches.notice_add(notice_id=notice.pk, actor=supervisor)
    empty = batches.notice_open(actor=supervisor)
    with pytest.raises(ValidationFailed):
        batches.notice_publish(notice_id=empty.pk, actor=supervisor)
    # the batch list marks both numbers cancelled in its remarks; the other columns stay as published
    rows = web_as(None).get(f"/registry/batches/{batch.pk}/json/").json()["rows"]
    assert [row["remarks"] for row in rows] == ["已注销", "已注销"]
    assert rows[0]["name"] == "推荐算法0"


def test_only_central_supervisors_assemble_notices_and_refusals_change_nothing(
    provider_a, reviewer_bj, supervisor, supervisor_gd
):
    _published_then_cancelled(provider_a, reviewer_bj, supervisor)
    response = web_as(supervisor_gd).post("/supervision/publication/notice/")
    assert response.status_code == 302 and not CancellationNotice.objects.exists()
    notice = batches.notice_open(actor=supervisor)
    batches.notice_add(notice_id=notice.pk, actor=supervisor)
    web_as(supervisor_gd).post(f"/supervision/publication/notices/{notice.pk}/publish/", {"reviewed": "yes"})
    assert CancellationNotice.objects.get(pk=notice.pk).status == "draft" and notice.entries.count() == 1
    assert web_as(None).post(f"/supervision/publication/notices/{notice.pk}/publish/").status_code in (302, 404)
    assert CancellationNotice.objects.get(pk=notice.pk).status == "draft"


def test_a_renamed_organisation_keeps_its_published_name_in_the_remarks(provider_a, reviewer_bj, supervisor):

    (filing,) = _approved(provider_a, reviewer_bj, n=1)
    batch = publish_batch(supervisor)
    old_name = filing.organization.name
    rename_organization(filing.organization_id, provider_a, reviewer_bj, "北京新名称科技有限公司")
    listing = PublicListing.objects.get(pk=filing.pk)
    assert listing.organization_name == "北京新名称科技有限公司" and listing.remarks == f"主体原名称：{old_name}"
    (row,) = web_as(None).get(f"/registry/batches/{batch.pk}/json/").json()["rows"]
    assert row["organization"] == old_name and row["remarks"] == f"主体原名称：{old_name}"


def test_announcement_pages_take_a_fixed_number_of_queries(
    provider_a, reviewer_bj, supervisor, django_assert_max_num_queries
):
    def pages(n: int) -> list[int]:
        """The query count of every announcement page, export and draft, with ``n`` rows each."""
        batch, _filings = _published_then_cancelled(provider_a, reviewer_bj, supervisor, n=n)
        notice = batches.notice_open(actor=supervisor)
        batches.notice_add(notice_id=notice.pk, actor=supervisor)
        draft = batches.batch_open(actor=supervisor, series="algorithm")
        for filing in _approved(provider_a, reviewer_bj, n=n):
            batches.batch_add(batch_id=draft.pk, actor=supervisor, filing_ids=[filing.pk])
        public_client, supervisor_client = web_as(None), web_as(supervisor)
        supervisor_client.get("/supervision/publication/")
        urls = [
            (f"/registry/batches/{batch.pk}/", public_client),
            (f"/registry/batches/{batch.pk}/csv/", public_client),
            (f"/registry/batches/{batch.pk}/xlsx/", public_client),
            (f"/registry/batches/{batch.pk}/json/", public_client),
            ("/registry/batches/", public_client),
            ("/registry/batches/feed.atom", public_client),
            ("/supervision/publication/", supervisor_client),
            (f"/supervision/publication/batches/{draft.pk}/", supervisor_client),
            (f"/supervision/publication/notices/{notice.pk}/", supervisor_client),
        ]
        counts = []
        for url, client in urls:
            with django_assert_max_num_queries(20) as captured:
                assert client.get(url).status_code == 200, url
            counts.append(len(captured))
        batches.notice_publish(notice_id=notice.pk, actor=supervisor)
        batches.batch_publish(batch_id=draft.pk, actor=supervisor)
        for url in (f"/registry/notices/{notice.pk}/", f"/registry/notices/{notice.pk}/csv/"):
            with django_assert_max_num_queries(20) as captured:
                assert public_client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = pages(1)
    assert few[0] <= 3  # the batch, its rows, today's remarks
    # the same number of queries whatever the number of rows
    assert pages(3) == few
