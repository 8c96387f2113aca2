"""When filed algorithms are re-assessed: the schedule per tier, and the daily job that opens cases.

All of it is set-based: a filing's next re-assessment date is one expression over the filings table
and the interval per tier (``ReassessmentInterval``), refreshed only where it differs; cases open in
batches through ``filings.services.reassessments``; a rerun changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from filings.models import Filing
from filings.services.reassessments import reassessment_overdue_sweep, reassessments_open
from filings.workflow import ReassessmentReason

CHUNK = 50_000
OPEN_BATCH = 1_000

_SCHEDULE = """
UPDATE filings_filing f SET reassessment_due = x.due
FROM (
    SELECT g.id,
           CASE WHEN i.months IS NULL OR g.assessed_at IS NULL THEN NULL
                ELSE (g.assessed_at + make_interval(months => i.months))::date END AS due
    FROM filings_filing g LEFT JOIN supervision_reassessmentinterval i ON i.tier = g.tier
    WHERE g.status IN ('approved', 'published') AND {where}
) x
WHERE f.id = x.id AND f.reassessment_due IS DISTINCT FROM x.due
"""

# Filings whose tier is above the tier they were last reviewed at, and that have no open case.
_TIER_UP = """
SELECT f.id FROM filings_filing f
WHERE f.status IN ('approved', 'published') AND f.reviewed_tier IS NOT NULL AND f.tier > f.reviewed_tier
  AND {where}
  AND NOT EXISTS (
      SELECT 1 FROM filings_reassessment r
      WHERE r.filing_id = f.id AND r.status IN ('open', 'submitted', 'in_review', 'returned'))
ORDER BY f.id
"""

_DUE = """
SELECT f.id FROM filings_filing f
WHERE f.status IN ('approved', 'published') AND f.reassessment_due IS NOT NULL AND f.reassessment_due <= %s
  AND NOT EXISTS (
      SELECT 1 FROM filings_reassessment r
      WHERE r.filing_id = f.id AND r.status IN ('open', 'submitted', 'in_review', 'returned'))
ORDER BY f.id
"""


def _where(filing_ids: Sequence[int] | None, id_range: tuple[int, int] | None, alias: str) -> tuple[str, list[Any]]:
    if filing_ids is not None:
        return f"{alias}.id = ANY(%s)", [list(filing_ids)]
    if id_range is not None:
        return f"{alias}.id >= %s AND {alias}.id < %s", list(id_range)
    return "true", []


def reassessment_schedule(*, filing_ids: Sequence[int] | None = None, id_range: tuple[int, int] | None = None) -> int:
    """Bring ``reassessment_due`` in step with each filing's tier, last assessment and the intervals.

    Returns how many filings it changed (none on a rerun).
    """
    where, params = _where(filing_ids, id_range, "g")
    with connection.cursor() as cursor:
        cursor.execute(_SCHEDULE.format(where=where), params)
        return int(cursor.rowcount)


def open_tier_up(*, filing_ids: Sequence[int] | None = None) -> int:
    """Open a review at the new tier for filed algorithms whose tier rose above their reviewed tier."""
    where, params = _where(filing_ids, None, "f")
    with connection.cursor() as cursor:
        cursor.execute(_TIER_UP.format(where=where), params)
        ids = [row[0] for row in cursor.fetchall()]
    return _open_in_batches(ids, ReassessmentReason.TIER_UP)


def after_tier_change(*, filing_ids: Sequence[int]) -> None:
    """A filing's tier changed (re-tiering, an approved change, an override): reschedule, review if it rose."""
    reassessment_schedule(filing_ids=filing_ids)
    open_tier_up(filing_ids=filing_ids)


def _open_in_batches(ids: list[int], reason: str, today: datetime.date | None = None) -> int:
    opened = 0
    for start in range(0, len(ids), OPEN_BATCH):
        opened += reassessments_open(filing_ids=ids[start : start + OPEN_BATCH], reason=reason, today=today)
    return opened


def reassessment_job(params: dict[str, Any], progress: Any) -> dict[str, Any]:
    """The daily job: refresh the schedule, mark overdue cases, open due and tier-up cases."""
    today = datetime.date.fromisoformat(params["today"]) if params.get("today") else timezone.localdate()
    bounds = Filing.objects.aggregate(lo=Min("id"), hi=Max("id"))
    lo, hi = bounds["lo"] or 0, bounds["hi"] or 0
    chunks = list(range(lo, hi + 1, CHUNK)) if hi else []
    with connection.cursor() as cursor:
        cursor.execute(_DUE, [today])  # an estimate for the progress bar; the list is re-read below
        due_estimate = cursor.rowcount
    total = len(chunks) + max(due_estimate, 0) + 1
    progress(done=0, total=total)
    rescheduled = 0
    for n, start in enumerate(chunks, 1):
        with transaction.atomic():
            rescheduled += reassessment_schedule(id_range=(start, start + CHUNK))
        progress(done=n)
    overdue = reassessment_overdue_sweep(today=today)
    progress()  # renews the lease between the long steps
    with connection.cursor() as cursor:
        cursor.execute(_DUE, [today])
        due_ids = [row[0] for row in cursor.fetchall()]
    opened = 0
    for start in range(0, len(due_ids), OPEN_BATCH):
        batch = due_ids[start : start + OPEN_BATCH]
        opened += reassessments_open(filing_ids=batch, reason=ReassessmentReason.PERIODIC, today=today)
        progress(done=len(chunks) + start + len(batch))
    progress()
    tier_up = open_tier_up()
    return {"rescheduled": rescheduled, "overdue": overdue, "opened": opened, "tier_up": tier_up}
