"""Exports of lists: only what the user may see, audited; large ones run as a job with progress."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from supervision import exports
from supervision.models import Job
from supervision.services.jobs import job_run
from tests.conftest import web_as
from tests.factories import make_filing_approved, make_filing_submitted

pytestmark = pytest.mark.usefixtures("reference_data")


def test_a_small_export_streams_what_the_user_may_see(provider_a, provider_b, reviewer_bj, reviewer_gd):
    make_filing_approved(provider_a, reviewer_bj, name="北京的算法")
    make_filing_submitted(provider_b, name="广东的算法")
    body = web_as(reviewer_gd).get("/exports/filings/csv/").getvalue().decode("utf-8")
    assert "广东的算法" in body and "北京的算法" not in body
    assert AuditEvent.objects.get(action="export.downloaded").payload["rows"] == 1
    filtered = web_as(reviewer_bj).get("/exports/filings/csv/?status=approved").getvalue().decode("utf-8")
    assert "北京的算法" in filtered
    assert web_as(reviewer_bj).get("/exports/filings/xlsx/").status_code == 200
    assert web_as(reviewer_bj).get("/exports/tasks/csv/?tab=all").status_code == 200
    assert web_as(provider_a).get("/exports/tasks/csv/").status_code == 404  # no queue for providers


def test_a_large_export_runs_as_a_job_with_progress_and_only_its_owner_downloads_it(
    settings, monkeypatch, provider_a, reviewer_bj, reviewer_bj2, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "SYNC_LIMIT", 1)
    for n in range(3):
        make_filing_submitted(provider_a, name=f"算法{n}")
    response = web_as(reviewer_bj).get("/exports/filings/csv/?status=submitted")
    job = Job.objects.get(kind="export")
    assert response["Location"] == f"/supervision/jobs/{job.pk}/"
    assert job_run(job_id=job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.total, job.result["rows"]) == ("succeeded", 3, 3)
    page = web_as(reviewer_bj).get(f"/supervision/jobs/{job.pk}/").content.decode()
    assert "export-download" in page
    download = web_as(reviewer_bj).get(f"/exports/jobs/{job.pk}/download/")
    content = download.getvalue().decode("utf-8")
    assert all(f"算法{n}," in content for n in range(3)) and content.count("\r\n") == 4
    assert web_as(reviewer_bj2).get(f"/exports/jobs/{job.pk}/download/").status_code == 404
    assert web_as(reviewer_bj2).get(f"/supervision/jobs/{job.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="export.downloaded", actor=reviewer_bj).exists()


def test_two_users_may_export_at_the_same_time(monkeypatch, provider_a, reviewer_bj, reviewer_bj2):
    monkeypatch.setattr(exports, "SYNC_LIMIT", 0)
    make_filing_submitted(provider_a)
    web_as(reviewer_bj).get("/exports/filings/csv/")
    web_as(reviewer_bj2).get("/exports/filings/csv/")
    assert Job.objects.filter(kind="export", status="queued").count() == 2


def test_list_exports_take_the_same_number_of_queries_for_more_rows(
    provider_a, reviewer_bj, supervisor, django_assert_max_num_queries
):
    """No query per row: the filings' organisations and the tasks' filings and offices come joined."""
    client = web_as(supervisor)
    urls = ["/exports/filings/csv/", "/exports/filings/xlsx/", "/exports/tasks/csv/?tab=all&status=decided"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with django_assert_max_num_queries(30) as captured:
                response = client.get(url)
                assert response.status_code == 200
                response.getvalue()  # a streamed body is read here, inside the count
            found.append(len(captured))
        return found

    make_filing_approved(provider_a, reviewer_bj, name="算法一")
    few = counts()
    for n in range(4):
        make_filing_approved(provider_a, reviewer_bj, name=f"算法{n}号")
    assert counts() == few
