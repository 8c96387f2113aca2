"""Benchmarks of the background jobs (``make bench``): generated data, timed runs, nothing asserted.

Runs only against a database whose name ends in ``_bench`` (it empties the filing tables). The data
is generated with ``INSERT … SELECT generate_series`` straight into the tables the migrations made:
every NOT NULL column without a default gets a neutral value, the columns that matter are set.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

NEUTRAL = {
    "character varying": "''",
    "text": "''",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "boolean": "false",
    "jsonb": "'{}'::jsonb",
    "timestamp with time zone": "now()",
    "date": "current_date",
    "uuid": "gen_random_uuid()",
}
CLEARED = (
    "supervision_reminder",
    "accounts_notification",
    "supervision_reviewtask",
    "filings_reassessment",
    "filings_filingversion",
    "filings_filingcancellation",
    "filings_filingattachment",
    "filings_filinguserobjectpermission",
    "filings_filing",
    "supervision_job",
)
# The bench organisations and their users as arrays, so each generated row picks one by position.
FILING_ROWS = (
    "generate_series(1, COUNT) AS g, (SELECT array_agg(o.id ORDER BY o.id) AS orgs,"
    " array_agg(u.id ORDER BY o.id) AS users, count(*) AS n FROM accounts_organization o"
    " JOIN accounts_user u ON u.organization_id = o.id WHERE o.name LIKE 'bench %') AS b"
)
CATEGORIES = ("news", "social", "audio_video", "search", "ecommerce", "games", "tools", "education", "other", "health")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)
        print(text, flush=True)  # noqa: T201 - a benchmark reports on the console


@contextmanager
def timed(report: Report, label: str) -> Iterator[dict[str, float]]:
    box: dict[str, float] = {}
    started = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - started
    report.add(f"{label}: {box['seconds']:.2f} s")


def check_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing to run: the database {name!r} is not a *_bench database (run `make bench`)")


def _insert(table: str, rows: str, values: dict[str, str]) -> int:
    """INSERT one row per ``rows`` (a FROM clause), ``values`` as SQL expressions, neutral elsewhere."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        columns = {name: NEUTRAL[kind] for name, kind in cursor.fetchall() if name != "id"}
        columns.update(values)
        names = ", ".join(f'"{c}"' for c in columns)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {', '.join(columns.values())} FROM {rows}")  # noqa: S608
        return int(cursor.rowcount)


def reset() -> None:
    with connection.cursor() as cursor:
        # The audit log is append-only (a row trigger); a bench database may still be emptied wholesale.
        cursor.execute(f"TRUNCATE {', '.join(CLEARED)}, accounts_auditevent RESTART IDENTITY CASCADE")
        cursor.execute("UPDATE accounts_user SET organization_id = NULL WHERE username LIKE 'bench_%'")
        cursor.execute("DELETE FROM accounts_organization WHERE name LIKE 'bench %'")
        cursor.execute("DELETE FROM accounts_user WHERE username LIKE 'bench_%'")


def providers(count: int) -> None:
    """``count`` approved organisations in Beijing, each with one active provider user."""
    _insert(
        "accounts_user",
        "(SELECT 1) AS one",
        {"username": "'bench_admin'", "password": "'!'", "is_active": "true", "language": "'zh-hans'"},
    )
    _insert(
        "accounts_organization",
        f"generate_series(1, {count}) AS g",
        {
            "name": "'bench ' || g",
            "uscc": "lpad(g::text, 18, '0')",
            "province_code": "'11'",
            "registered_division_code": "'110108'",
            "status": "'approved'",
            "version": "1",
            "created_by_id": "(SELECT id FROM accounts_user WHERE username = 'bench_admin')",
        },
    )
    _insert(
        "accounts_user",
        "accounts_organization o WHERE o.name LIKE 'bench %'",
        {
            "username": "'bench_' || o.id",
            "email": "'bench_' || o.id || '@bench.example'",
            "password": "'!'",
            "is_active": "true",
            "language": "'zh-hans'",
            "organization_id": "o.id",
        },
    )


def filings(count: int, *, status_sql: str, extra: dict[str, str] | None = None) -> int:
    """``count`` filings spread over the bench organisations, with random Art. 23 factors."""
    values = {
        "organization_id": "b.orgs[1 + g % b.n]",
        "created_by_id": "b.users[1 + g % b.n]",
        "province_code": "'11'",
        "kind": "'algorithm'",
        "status": status_sql,
        "name": "'bench algorithm ' || g",
        "name_normalized": "'benchalgorithm' || g",
        "algorithm_type": "'personalized_push'",
        "role": "'service_provider'",
        "version": "1",
        "public_opinion": "random() < 0.5",
        # about one filing in ten is news: the category the benchmark's new policy version re-weights
        "content_category": f"(ARRAY{list(CATEGORIES)!r})[1 + floor(random() * {len(CATEGORIES)})::int]",
        "monthly_active_users": "(ARRAY[1000, 200000, 2000000, 20000000])[1 + floor(random() * 4)::int]",
        "data_importance": "CASE WHEN random() < 0.03 THEN 'important' ELSE 'general' END",
        "intervention_level": "(ARRAY['low', 'medium', 'high'])[1 + floor(random() * 3)::int]",
        **(extra or {}),
    }
    rows = FILING_ROWS.replace("COUNT", str(int(count)))
    return _insert("filings_filing", rows, values)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE filings_filing")
        cursor.execute("ANALYZE accounts_user")


def reminder_benchmark(report: Report, *, items: int, organizations: int) -> None:
    from filings.workdays import WorkCalendar
    from supervision.services.reminders import reminder_sweep

    reset()
    providers(organizations)
    calendar = WorkCalendar.load()
    today = calendar.next_workday(timezone.localdate()).value
    due = calendar.add(today, 1).value
    with timed(report, f"generate {items:,} draft filings due {due}"):
        filings(items, status_sql="'draft'", extra={"filing_due": f"'{due.isoformat()}'::date"})
    analyze()
    with timed(report, "reminder sweep, first run") as first:
        result = reminder_sweep(today=today)
    report.add(f"  reminders recorded: {result.reminders:,}, digests: {result.digests:,}")
    with timed(report, "reminder sweep, second run"):
        again = reminder_sweep(today=today)
    report.add(f"  reminders recorded: {again.reminders:,} (target 0)")
    report.add(f"  target: {items:,} due items < 30 s: {'met' if first['seconds'] < 30 else 'MISSED'}")


def retier_benchmark(report: Report, *, count: int, organizations: int) -> None:
    from supervision import tiering
    from supervision.models import TierPolicy
    from supervision.services.retiering import retier

    reset()
    TierPolicy.objects.filter(note="bench").delete()  # left by an earlier run of this benchmark
    providers(organizations)
    status = "(CASE WHEN random() < 0.8 THEN 'published' WHEN random() < 0.5 THEN 'in_review' ELSE 'approved' END)"
    with timed(report, f"generate {count:,} filings"):
        filings(count, status_sql=status, extra={"policy_tier": "1", "tier": "1", "tier_policy_version": "1"})
    base = tiering.policy_in_force()
    with timed(report, "classify them under the policy in force (setup)"):
        retier(policy=base)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE filings_filing SET reviewed_tier = tier, assessed_at = current_date - 30"
            " WHERE status IN ('approved', 'published')"
        )
    analyze()
    points = {**base.points, "content_category": {**base.points["content_category"], "news": 7}}
    policy = TierPolicy.objects.create(
        version=base.version + 1,
        effective_from=timezone.localdate(),
        points=points,
        thresholds=base.thresholds,
        floors=base.floors,
        note="bench",
    )
    with timed(report, "re-tier under a version that re-weights news, first run") as first:
        result = retier(policy=policy)
    share = result["changed"] / max(1, result["examined"])
    report.add(f"  examined {result['examined']:,}, changed {result['changed']:,} ({share:.1%})")
    report.add(f"  tier-up re-assessments opened: {_count('filings_reassessment'):,}")
    with timed(report, "re-tier, second run"):
        again = retier(policy=policy)
    report.add(f"  changed: {again['changed']:,} (target 0)")
    report.add(f"  target: {count:,} filings < 60 s: {'met' if first['seconds'] < 60 else 'MISSED'}")


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


BENCHMARKS: dict[str, Callable[..., None]] = {"reminders": reminder_benchmark, "retier": retier_benchmark}


def run(names: list[str], options: dict[str, Any]) -> Report:
    check_database()
    report = Report()
    if "reminders" in names:
        report.add("== reminder sweep ==")
        reminder_benchmark(report, items=options["reminders"], organizations=options["organizations"])
    if "retier" in names:
        report.add("== re-tiering ==")
        retier_benchmark(report, count=options["filings"], organizations=options["organizations"])
    return report
