"""Re-tiering: re-classify filings under the tier policy in force, set-based.

One statement per chunk of ids computes every filing's policy tier in SQL (``tiering.tier_expression``),
updates only the rows whose tier differs, and appends one audit event per changed filing. Reviewer
overrides stand (``tier = COALESCE(tier_override, new policy tier)``). Filings whose tier rose above
the tier they were reviewed at get a review at the new tier (a tier-up re-assessment). A second run
finds nothing to change and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Q

from filings.models import Filing
from supervision import tiering
from supervision.models import Job, JobKind, JobStatus, TierPolicy
from supervision.services.jobs import job_start
from supervision.services.reassessment import after_tier_change

CHUNK = 50_000
# Classified filings that are still alive: in review or filed.
CLASSIFIED_STATUSES = ("submitted", "in_review", "returned", "approved", "published")

# x: the chunk's filings with their policy tier under the new version (compiled from the ORM expression).
# u: the rows that change. a: their audit events, in id order (the order a hash chain will follow).
_RETIER = """
WITH x (id, old_tier, new_tier, public_opinion, content_category, monthly_active_users, data_importance,
        intervention_level) AS (SELECT_CHUNK),
u AS (
    UPDATE filings_filing f
    SET policy_tier = x.new_tier, tier = COALESCE(f.tier_override, x.new_tier),
        tier_policy_version = %s, tier_explanation = '{}'::jsonb
    FROM x
    WHERE f.id = x.id AND f.policy_tier IS DISTINCT FROM x.new_tier
      -- x is the statement's snapshot; a row whose factors changed since (an approved change
      -- re-classified it meanwhile) is re-checked against its latest version and left alone
      AND f.public_opinion IS NOT DISTINCT FROM x.public_opinion AND f.content_category = x.content_category
      AND f.monthly_active_users IS NOT DISTINCT FROM x.monthly_active_users
      AND f.data_importance = x.data_importance AND f.intervention_level = x.intervention_level
    RETURNING f.id, f.organization_id, x.old_tier, f.tier, f.policy_tier
),
a AS (
    INSERT INTO accounts_auditevent
        (occurred_at, actor_username, action, subject_type, subject_id, organization_id,
         from_state, to_state, reasons, payload)
    SELECT now(), '', 'filing.retiered', 'filing', u.id, u.organization_id, '', '', '',
           jsonb_build_object('from', u.old_tier, 'to', u.tier, 'policy_tier', u.policy_tier, 'policy_version', %s)
    FROM u ORDER BY u.id
    RETURNING subject_id
)
SELECT (SELECT count(*) FROM x), COALESCE((SELECT array_agg(subject_id) FROM a), '{}')
"""


def _chunk(policy: TierPolicy, condition: Q) -> tuple[int, list[int]]:
    """Re-tier the filings matching ``condition``; returns (examined, ids changed)."""
    queryset = tiering.annotate_policy_tier(
        Filing.objects.filter(condition, status__in=CLASSIFIED_STATUSES, policy_tier__isnull=False), policy
    ).values_list("id", "tier", "_policy_tier", *tiering.FACTORS)
    select, params = queryset.query.sql_with_params()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The compiled select is spliced in as text: its own placeholders stay positional.
            cursor.execute(_RETIER.replace("SELECT_CHUNK", select), [*params, policy.version, policy.version])
            examined, changed = cursor.fetchone()
        if changed:
            after_tier_change(filing_ids=changed)
    return int(examined), list(changed)


def retier(
    *, policy: TierPolicy | None = None, filing_ids: Sequence[int] | None = None, progress: Any = None
) -> dict[str, int]:
    """Re-classify ``filing_ids`` (or every classified filing, chunk by chunk) under ``policy``."""
    policy = policy or tiering.policy_in_force()
    if filing_ids is not None:
        examined, changed = _chunk(policy, Q(id__in=list(filing_ids)))
        return {"policy_version": policy.version, "examined": examined, "changed": len(changed)}
    bounds = Filing.objects.aggregate(lo=Min("id"), hi=Max("id"))
    lo, hi = bounds["lo"] or 0, bounds["hi"] or -1
    starts = list(range(lo, hi + 1, CHUNK))
    if progress:
        progress(done=0, total=len(starts))
    examined = changed_count = 0
    for n, start in enumerate(starts, 1):
        seen, changed = _chunk(policy, Q(id__gte=start, id__lt=start + CHUNK))
        examined += seen
        changed_count += len(changed)
        if progress:
            progress(done=n)
    return {"policy_version": policy.version, "examined": examined, "changed": changed_count}


def retier_job(params: dict[str, Any], progress: Any) -> dict[str, int]:
    """The policy in force when the job runs; if another version came into force meanwhile (created
    for today while this ran), run again under it before finishing."""
    policy = tiering.policy_in_force()
    while True:
        result = retier(policy=policy, progress=progress)
        latest = tiering.policy_in_force()
        if latest.version == policy.version:
            return result
        policy = latest


def retier_if_policy_changed(*, actor: Any = None) -> Job | None:
    """Start a re-tiering job unless the version in force already had a successful one."""
    policy = tiering.policy_in_force()
    done = Job.objects.filter(
        kind=JobKind.RETIER, status=JobStatus.SUCCEEDED, result__policy_version=policy.version
    ).exists()
    if done:
        return None
    return job_start(kind=JobKind.RETIER, params={"policy_version": policy.version}, actor=actor)
