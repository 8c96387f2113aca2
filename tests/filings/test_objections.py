"""Objections from the public: a rate-limited form on each published filing, a task in the right queue."""

from __future__ import annotations

import pytest

from accounts.errors import ValidationFailed
from accounts.models import AuditEvent
from filings.models import Objection
from supervision.models import ReviewTask
from supervision.services.review import task_claim, task_decide
from tests.conftest import web_as
from tests.factories import make_filing_approved, make_filing_published

pytestmark = pytest.mark.usefixtures("reference_data")
OBJECTION = {"text": "该算法实际用于人脸识别，与公示用途不符。", "contact": "citizen@example.cn", "name": "张三"}


def test_an_objection_becomes_a_task_in_the_responsible_office(provider_a, reviewer_bj, supervisor):
    filing = make_filing_published(provider_a, reviewer_bj, supervisor)
    response = web_as(None).post(f"/registry/{filing.filing_number}/objection/", OBJECTION)
    assert response.status_code == 200 and "objection-received" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.filing_id, objection.contact, objection.status) == (filing.pk, "citizen@example.cn", "submitted")
    task = ReviewTask.objects.get(subject_type="objection", subject_id=objection.pk)
    assert task.office.code == "110000" and task.stage == "provincial_review" and task.due > task.created_at.date()
    event = AuditEvent.objects.get(action="filing.objection_received")
    assert "citizen@example.cn" not in str(event.payload)


def test_bad_input_is_refused_with_errors_and_nothing_is_lost(provider_a, reviewer_bj, supervisor):
    filing = make_filing_published(provider_a, reviewer_bj, supervisor)
    response = web_as(None).post(f"/registry/{filing.filing_number}/objection/", {"text": "不实", "contact": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "不实" in html and "invalid-feedback" in html
    assert not Objection.objects.exists() and not ReviewTask.objects.filter(subject_type="objection").exists()


def test_objections_are_rate_limited_per_client(settings, provider_a, reviewer_bj, supervisor):
    settings.BEIAN_RATE_LIMITS = {**settings.BEIAN_RATE_LIMITS, "objection": (1, 3600)}
    filing = make_filing_published(provider_a, reviewer_bj, supervisor)
    client = web_as(None)
    assert client.post(f"/registry/{filing.filing_number}/objection/", OBJECTION).status_code == 200
    refused = client.post(f"/registry/{filing.filing_number}/objection/", OBJECTION)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Objection.objects.count() == 1


def test_only_published_filings_take_objections(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    assert web_as(None).post(f"/registry/{filing.filing_number}/objection/", OBJECTION).status_code == 404
    assert not Objection.objects.exists()


def test_the_office_upholds_or_dismisses_with_a_recorded_outcome(provider_a, reviewer_bj, reviewer_gd, supervisor):
    filing = make_filing_published(provider_a, reviewer_bj, supervisor)
    web_as(None).post(f"/registry/{filing.filing_number}/objection/", OBJECTION)
    objection = Objection.objects.get()
    task = ReviewTask.objects.get(subject_type="objection", subject_id=objection.pk)
    # the wrong province does not see it
    assert web_as(reviewer_gd).get(f"/review/tasks/{task.pk}/").status_code == 404
    task_claim(task_id=task.pk, actor=reviewer_bj)
    page = web_as(reviewer_bj).get(f"/review/tasks/{task.pk}/").content.decode()
    assert "与公示用途不符" in page and "citizen@example.cn" in page and "维持异议" in page
    with pytest.raises(ValidationFailed):
        task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve", reasons="")
    objection.refresh_from_db()
    assert objection.status == "in_review"
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve", reasons="已核实，责令提供者办理变更。")
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.outcome == "已核实，责令提供者办理变更。"
