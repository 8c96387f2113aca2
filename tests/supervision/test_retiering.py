"""Re-tiering: set-based, writes only what changes, overrides stand, a higher tier is reviewed again."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from filings.models import Filing, Reassessment
from filings.services.changes import filing_change_open
from filings.services.drafts import filing_save
from filings.services.submission import filing_submit
from filings.services.tiering import filing_override_tier
from supervision import tiering
from supervision.defaults import DEFAULT_FLOORS, DEFAULT_POINTS, DEFAULT_THRESHOLDS
from supervision.models import Job, ReviewTask, TierPolicy
from supervision.services.jobs import job_run, job_start
from supervision.services.policy import tier_policy_create
from supervision.services.retiering import retier, retier_if_policy_changed
from supervision.services.review import task_claim
from supervision.walkthrough import decide_all_stages
from tests.factories import make_filing_approved, make_filing_submitted

# Tier-2 filings need a second provincial reviewer (four eyes); tier 3 a central one.
pytestmark = pytest.mark.usefixtures("reference_data", "reviewer_bj2", "central_reviewer")


def _stricter_policy(version: int = 2) -> TierPolicy:
    """News scores 6 instead of 3: a tier-2 news filing (3 + 3 points) becomes tier 3 (3 + 6)."""
    points = copy.deepcopy(DEFAULT_POINTS)
    points["content_category"]["news"] = 6
    return TierPolicy.objects.create(
        version=version,
        effective_from=timezone.localdate(),
        points=points,
        thresholds=DEFAULT_THRESHOLDS,
        floors=DEFAULT_FLOORS,
    )


def test_only_filings_whose_tier_changes_are_written(provider_a, reviewer_bj):
    # given two filed algorithms: one about news (affected by the new policy), one a tool (not)
    news = make_filing_approved(provider_a, reviewer_bj, name="News", content_category="news")
    tool = make_filing_approved(provider_a, reviewer_bj, name="Tool", content_category="tools")
    assert (news.tier, tool.tier) == (2, 1)
    policy = _stricter_policy()
    before = AuditEvent.objects.count()
    # when every filing is re-tiered
    result = retier(policy=policy)
    # then only the news filing changed, with one audit event
    news.refresh_from_db()
    tool.refresh_from_db()
    assert result["changed"] == 1 and result["examined"] == 2
    assert (news.tier, news.policy_tier, news.tier_policy_version) == (3, 3, 2)
    assert (tool.tier, tool.tier_policy_version) == (1, 1)
    event = AuditEvent.objects.get(action="filing.retiered")
    assert event.subject_id == news.pk and event.payload == {"from": 2, "to": 3, "policy_tier": 3, "policy_version": 2}
    assert AuditEvent.objects.count() - before == 2  # the retier event and the tier-up case opening
    # and a second run writes nothing
    count = AuditEvent.objects.count()
    assert retier(policy=policy)["changed"] == 0
    assert AuditEvent.objects.count() == count


def test_the_sql_and_the_python_classification_agree_after_retiering(provider_a, reviewer_bj):
    news = make_filing_approved(provider_a, reviewer_bj, content_category="news", monthly_active_users=2_000_000)
    policy = _stricter_policy()
    retier(policy=policy)
    news.refresh_from_db()
    # the stored explanation is recomputed from the version that set the tier
    explanation = tiering.explanation_of(news)
    expected = tiering.classify(policy, tiering.inputs_of(news))
    assert explanation == expected.explanation() and expected.tier == news.policy_tier


def test_a_reviewers_override_stands(provider_a, reviewer_bj):
    # given a news filing in review whose reviewer set tier 1 with a justification
    filing = make_filing_submitted(provider_a, content_category="news")
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status="open")
    task_claim(task_id=task.pk, actor=reviewer_bj)
    filing_override_tier(filing_id=filing.pk, actor=reviewer_bj, tier=1, reason="仅内部使用")
    # when the stricter policy re-tiers it
    retier(policy=_stricter_policy())
    filing.refresh_from_db()
    # then the policy's tier is recorded, but the override still decides
    assert (filing.policy_tier, filing.tier, filing.tier_override) == (3, 1, 1)


def test_a_higher_tier_opens_a_review_at_the_new_tier(provider_a, reviewer_bj):
    # given a news filing filed at tier 2
    news = make_filing_approved(provider_a, reviewer_bj, content_category="news")
    # when re-tiering raises it to tier 3
    retier(policy=_stricter_policy())
    # then a tier-up re-assessment opens, to be reviewed at tier 3
    case = Reassessment.objects.get(filing=news)
    assert (case.reason, case.tier, case.status) == ("tier_up", 3, "open")


def test_a_lower_tier_opens_nothing(provider_a, reviewer_bj):
    news = make_filing_approved(provider_a, reviewer_bj, content_category="news")
    points = copy.deepcopy(DEFAULT_POINTS)
    points["content_category"]["news"] = 0
    lenient = TierPolicy.objects.create(
        version=2, effective_from=timezone.localdate(), points=points, thresholds=DEFAULT_THRESHOLDS, floors=[]
    )
    retier(policy=lenient)
    news.refresh_from_db()
    assert news.tier == 1 and not Reassessment.objects.exists()


def test_retiering_takes_the_same_queries_for_one_changed_filing_as_for_many(provider_a, reviewer_bj):
    filings = [
        make_filing_approved(provider_a, reviewer_bj, name=f"News {n}", content_category="news") for n in range(4)
    ]
    policy = tiering.policy_in_force()
    # given one filing whose recorded policy tier is stale
    Filing.objects.filter(pk=filings[0].pk).update(policy_tier=1)
    with CaptureQueriesContext(connection) as one:
        assert retier(policy=policy)["changed"] == 1
    # and then four
    Filing.objects.update(policy_tier=1)
    with CaptureQueriesContext(connection) as four:
        assert retier(policy=policy)["changed"] == 4
    # the work is set-based: no query per filing
    assert len(four) == len(one)


def test_a_reported_user_figure_is_fast_tracked_and_a_higher_tier_is_then_reviewed(provider_a, reviewer_bj):
    # given a tier-1 filing (3 points)
    filing = make_filing_approved(provider_a, reviewer_bj)
    assert filing.tier == 1
    # when the provider files a change reporting 2 million monthly active users
    version = filing_change_open(
        filing_id=filing.pk, actor=provider_a, change_date=timezone.localdate(), summary="月活跃用户更新"
    )
    filing.refresh_from_db()
    data = {**version.data, "monthly_active_users": 2_000_000}
    filing_save(filing_id=filing.pk, actor=provider_a, data=data, expected_version=filing.version)
    filing_submit(filing_id=filing.pk, actor=provider_a)
    version.refresh_from_db()
    # then it is not material: one fast-track stage
    task = ReviewTask.objects.get(subject_type="change", subject_id=version.pk)
    assert version.material is False and task.fast_track
    # and once approved, the filing is tier 2 and a review at tier 2 opens
    decide_all_stages(subject_type="change", subject_id=version.pk, decision="approve")
    filing.refresh_from_db()
    assert (filing.tier, filing.reviewed_tier) == (2, 1)
    case = Reassessment.objects.get(filing=filing)
    assert (case.reason, case.tier) == ("tier_up", 2)


def test_a_policy_in_force_today_starts_a_retiering_job_that_reports_progress(
    provider_a, reviewer_bj, supervisor, django_capture_on_commit_callbacks
):
    news = make_filing_approved(provider_a, reviewer_bj, content_category="news")
    points = copy.deepcopy(DEFAULT_POINTS)
    points["content_category"]["news"] = 6
    # when a central supervisor creates a version in force today
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tier_policy_create(
            actor=supervisor,
            effective_from=timezone.localdate(),
            points=points,
            thresholds=DEFAULT_THRESHOLDS,
            floors=DEFAULT_FLOORS,
        )
    # then a re-tiering job is queued (dispatched after commit) and, run, re-classifies with progress
    job = Job.objects.get(kind="retier")
    assert job.status == "queued" and len(callbacks) == 1
    assert job_run(job_id=job.pk) is True
    job.refresh_from_db()
    news.refresh_from_db()
    assert job.status == "succeeded" and job.percent == 100 and job.done == job.total == 1
    assert job.result == {"policy_version": 2, "examined": 1, "changed": 1}
    assert news.tier == 3
    # and the nightly check does not start another for the same version
    assert retier_if_policy_changed() is None


def test_a_future_version_waits_for_its_day(provider_a, reviewer_bj, supervisor):
    make_filing_approved(provider_a, reviewer_bj, content_category="news")
    points = copy.deepcopy(DEFAULT_POINTS)
    points["content_category"]["news"] = 6
    tier_policy_create(
        actor=supervisor,
        effective_from=timezone.localdate() + datetime.timedelta(days=3),
        points=points,
        thresholds=DEFAULT_THRESHOLDS,
        floors=DEFAULT_FLOORS,
    )
    assert not Job.objects.exists()
    job = job_start(kind="retier")
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.result["policy_version"] == 1 and job.result["changed"] == 0
