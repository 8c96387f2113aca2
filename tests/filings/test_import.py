"""Importing the lists CAC already published: idempotent, irregularities reported, never "corrected"."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent, Organization
from filings import importer
from filings.models import BatchEntry, CancellationNotice, Filing, PublicationBatch, PublicListing
from filings.services.imports import import_catalogue
from tests.conftest import api_as, web_as
from tests.factories import CAC_SAMPLE, NETEASE_PUSH

pytestmark = pytest.mark.usefixtures("reference_data")
SAMPLE = CAC_SAMPLE
TENCENT_ODD = "网信算备440305295988702220055号"
DAMAI = "网信算备110101128387701230011号"


def _import(directory: Path = SAMPLE) -> importer.Catalogue:
    catalogue = importer.read_all(directory)
    import_catalogue(catalogue)
    return catalogue


def test_the_sample_becomes_filings_batches_and_notices():
    catalogue = _import()
    assert Filing.objects.filter(imported=True).count() == 5
    # one number published in both lists is one filing, with an entry in each batch
    both = Filing.objects.get(filing_number=NETEASE_PUSH)
    assert BatchEntry.objects.filter(filing=both).count() == 2
    assert both.listing.series == "algorithm" and both.status == "published"
    # organisations by entity ID, named as most recently published, marked imported without a USCC
    netease = Organization.objects.get(entity_id="1352243")
    assert (netease.name, netease.imported, netease.uscc, netease.office.province_code) == (
        "北京网易传媒新名称有限公司",
        True,
        "",
        "11",
    )
    assert Filing.objects.filter(organization=netease).count() == 3
    # cancellation notices cancel what they list
    assert Filing.objects.get(filing_number=DAMAI).status == "cancelled"
    assert CancellationNotice.objects.get().entries.count() == 2
    assert PublicationBatch.objects.get(series="deep_synthesis", number=12).entries.count() == 2
    assert PublicationBatch.objects.filter(series="algorithm").count() == 2
    # the irregularities are reported, not fixed
    problems = "\n".join(catalogue.problems)
    assert TENCENT_ODD in problems and "check digit" in problems
    assert "'服务提供' read as '服务提供者'" in problems and "'检索过滤类'" in problems
    assert Filing.objects.filter(filing_number=TENCENT_ODD).exists()


def test_a_second_run_writes_nothing():
    _import()
    counts = (
        Filing.objects.count(),
        PublicListing.objects.count(),
        BatchEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    catalogue = importer.read_all(SAMPLE)
    result = import_catalogue(catalogue)
    assert result.total_written == 0
    assert counts == (
        Filing.objects.count(),
        PublicListing.objects.count(),
        BatchEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_imported_filings_are_searchable_and_verifiable():
    _import()
    body = api_as(None).get(f"/api/v1/public/verify/{TENCENT_ODD}/").json()
    assert (body["status"], body["format_valid"], body["name"]) == ("active", False, "腾讯广告推荐算法")
    assert api_as(None).get(f"/api/v1/public/verify/{DAMAI}/").json()["status"] == "cancelled"
    assert NETEASE_PUSH in web_as(None).get("/registry/", {"q": "推送"}).content.decode()


def test_what_happened_here_since_is_not_undone_by_a_rerun(reviewer_bj):
    from filings.services.regulator import filing_regulator_end

    _import()
    filing = Filing.objects.get(filing_number=NETEASE_PUSH)
    filing_regulator_end(filing_id=filing.pk, actor=reviewer_bj, action="revoke", reasons="虚假材料")
    _import()
    filing.refresh_from_db()
    assert filing.status == "revoked" and filing.listing.state == "revoked" and "已撤销" in filing.listing.remarks


def test_a_number_filed_in_beian_itself_is_left_alone(provider_a, reviewer_bj):
    from tests.factories import make_filing_approved

    native = make_filing_approved(provider_a, reviewer_bj)
    catalogue = importer.read_all(SAMPLE)
    record = catalogue.records.pop(NETEASE_PUSH)
    record.number = native.filing_number
    catalogue.records[native.filing_number] = record
    result = import_catalogue(catalogue)
    native.refresh_from_db()
    assert not native.imported and native.status == "approved"
    assert any(native.filing_number in problem and "already filed" in problem for problem in result.problems)


def test_the_command_reports_counts_and_irregularities(capsys):
    call_command("import_published_lists", "--dir", str(SAMPLE))
    out = capsys.readouterr().out
    assert "filings created: 5" in out and "irregular:" in out and TENCENT_ODD in out


def test_the_real_published_lists_import_completely_and_idempotently():
    catalogue = _import(importer.DATA_DIR)
    summary = importer.summary(catalogue)
    assert summary["numbers"] == 8768 and summary["cancelled"] == 57 and summary["both_series"] == 10
    assert Filing.objects.filter(imported=True).count() == 8768
    assert BatchEntry.objects.count() == 1014 + 7764
    assert PublicationBatch.objects.count() == 19 + 18
    assert import_catalogue(importer.read_all(importer.DATA_DIR)).total_written == 0


def test_a_batch_number_already_published_here_is_not_mixed_with_imported_rows(provider_a, reviewer_bj, supervisor):
    from tests.factories import make_filing_approved, publish_batch

    make_filing_approved(provider_a, reviewer_bj)
    native = publish_batch(supervisor)
    catalogue = importer.read_all(SAMPLE)
    result = import_catalogue(catalogue)
    assert native.entries.count() == 1
    assert any("already published here" in problem for problem in result.problems)


def test_a_malformed_number_is_reported_and_not_imported():
    catalogue = importer.read_all(SAMPLE)
    record = catalogue.records[NETEASE_PUSH]
    importer._record(catalogue, "网信算备12345号").__dict__.update(
        {k: v for k, v in record.__dict__.items() if k != "number"}
    )
    result = import_catalogue(catalogue)
    assert any("网信算备12345号" in p and "not imported" in p for p in catalogue.problems + result.problems)
    assert not Filing.objects.filter(filing_number="网信算备12345号").exists()
    assert Filing.objects.filter(filing_number=NETEASE_PUSH).exists()


def test_the_supervisors_statistics_count_the_imported_records(supervisor):
    from supervision import stats

    _import()
    matrix = stats.matrix_tables(stats.filing_matrix("CN"))
    expected = dict(Counter(Filing.objects.values_list("status", flat=True)))
    assert matrix["totals"] == expected and expected["published"] > 0 and expected["cancelled"] > 0
    beijing = stats.matrix_tables(stats.filing_matrix("11"))["totals"]
    assert sum(beijing.values()) == Filing.objects.filter(province_code="11").count() > 0
    html = web_as(supervisor).get("/supervision/dashboard/").content.decode()
    assert f">{expected['published']}</a>" in html
