import itertools

import pytest

from filings.models import Filing
from supervision.models import TierPolicy
from supervision.services.review import task_claim
from supervision.tiering import annotate_policy_tier, classify, policy_in_force, preview
from tests.factories import make_filing_submitted

pytestmark = pytest.mark.usefixtures("reference_data")


def _inputs(**overrides):
    base = {
        "public_opinion": "yes",
        "content_category": "tools",
        "monthly_active_users": 50_000,
        "data_importance": "general",
        "intervention_level": "low",
    }
    return base | overrides


@pytest.mark.parametrize(
    ("_case", "overrides", "tier"),
    [
        ("small tool with public-opinion features", {}, 1),
        ("a tool for a million users", {"monthly_active_users": 1_000_000}, 2),
        ("news to a million users", {"content_category": "news", "monthly_active_users": 1_000_000}, 3),
        (
            "news, 10M users, steering",
            {"content_category": "news", "monthly_active_users": 10_000_000, "intervention_level": "high"},
            4,
        ),
        ("important data floors at tier 3", {"data_importance": "important"}, 3),
        ("core data floors at tier 4", {"data_importance": "core", "public_opinion": "no"}, 4),
        ("50M users floor at tier 3", {"monthly_active_users": 60_000_000, "public_opinion": "no"}, 3),
    ],
)
def test_default_policy(_case, overrides, tier):
    result = classify(policy_in_force(), _inputs(**overrides))
    assert result.tier == tier
    assert {row["factor"] for row in result.rows} == {
        "public_opinion",
        "content_category",
        "monthly_active_users",
        "data_importance",
        "intervention_level",
    }


def test_the_sql_expression_agrees_with_python(provider_a):
    # given filings across the factor space
    combos = itertools.product(
        [True, False],
        ["news", "tools"],
        [0, 150_000, 2_000_000, 60_000_000],
        ["general", "important", "core"],
        ["low", "high"],
    )
    rows = [
        Filing(
            organization_id=provider_a.organization_id,
            province_code="11",
            created_by=provider_a,
            public_opinion=opinion,
            content_category=category,
            monthly_active_users=users,
            data_importance=importance,
            intervention_level=intervention,
        )
        for opinion, category, users, importance, intervention in combos
    ]
    Filing.objects.bulk_create(rows)
    policy = policy_in_force()
    # when the database computes every tier in one query
    computed = annotate_policy_tier(Filing.objects.all(), policy).values_list(
        "public_opinion",
        "content_category",
        "monthly_active_users",
        "data_importance",
        "intervention_level",
        "_policy_tier",
    )
    # then each equals the Python classification
    for opinion, category, users, importance, intervention, sql_tier in computed:
        inputs = _inputs(
            public_opinion="yes" if opinion else "no",
            content_category=category,
            monthly_active_users=users,
            data_importance=importance,
            intervention_level=intervention,
        )
        assert classify(policy, inputs).tier == sql_tier, inputs


def test_submission_records_the_tier_and_its_explanation(provider_a):
    filing = make_filing_submitted(provider_a, content_category="news", monthly_active_users=1_000_000)
    assert (filing.tier, filing.policy_tier, filing.tier_policy_version) == (3, 3, 1)
    assert filing.tier_explanation["total"] == 3 + 3 + 2
    assert any(row["factor"] == "content_category" and row["points"] == 3 for row in filing.tier_explanation["factors"])


def test_preview_counts_filings_that_would_change_tier(provider_a):
    for users in (50_000, 2_000_000, 2_000_000):
        make_filing_submitted(provider_a, name=f"算法{users}", monthly_active_users=users)
    current = policy_in_force()
    stricter = TierPolicy(
        version=2,
        effective_from=current.effective_from,
        points=current.points,
        thresholds=[3, 7, 10],
        floors=current.floors,
    )
    # 3 points: tier 1 now, tier 2 under the stricter thresholds; 5 points: tier 2 under both.
    result = preview(stricter)
    assert (result["total"], result["changed"]) == (3, 1)
    assert {(m["from"], m["to"], m["count"]) for m in result["moves"]} == {(1, 2, 1), (2, 2, 2)}


def test_a_reviewer_override_stands_and_can_be_lifted(provider_a, reviewer_bj):
    from filings.services.tiering import filing_override_tier
    from supervision.services.routing import reclassify

    filing = make_filing_submitted(provider_a)
    task = filing_task(filing)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    filing_override_tier(filing_id=filing.pk, actor=reviewer_bj, tier=3, reason="实际影响面大")
    filing.refresh_from_db()
    assert (filing.tier, filing.policy_tier, filing.tier_override) == (3, 1, 3)
    reclassify(filing_id=filing.pk)  # a later re-classification keeps the override
    filing.refresh_from_db()
    assert filing.tier == 3
    filing_override_tier(filing_id=filing.pk, actor=reviewer_bj, tier=None, reason="撤销调整")
    filing.refresh_from_db()
    assert (filing.tier, filing.tier_override) == (1, None)


def test_only_the_assigned_reviewer_overrides_and_a_reason_is_required(provider_a, reviewer_bj, reviewer_gd):
    from accounts.errors import ActionForbidden, ValidationFailed
    from filings.services.tiering import filing_override_tier

    filing = make_filing_submitted(provider_a)
    with pytest.raises(ActionForbidden):
        filing_override_tier(filing_id=filing.pk, actor=reviewer_gd, tier=4, reason="x")
    task_claim(task_id=filing_task(filing).pk, actor=reviewer_bj)
    with pytest.raises(ValidationFailed):
        filing_override_tier(filing_id=filing.pk, actor=reviewer_bj, tier=4, reason=" ")
    filing.refresh_from_db()
    assert filing.tier == 1 and filing.tier_override is None


def filing_task(filing):
    from supervision.models import ReviewTask

    return ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status__in=["open", "claimed"])
