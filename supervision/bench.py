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

from accounts.models import User

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
    "filings_publiclisting",
    "supervision_filingcount",
    "supervision_statssnapshot",
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
    missed: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.lines.append(text)
        print(text, flush=True)  # noqa: T201 - a benchmark reports on the console

    def verdict(self, what: str, met: bool) -> str:
        """'met' or 'MISSED'; a missed target makes `make bench` fail."""
        if not met:
            self.missed.append(what)
        return "met" if met else "MISSED"


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
        bench_users = "SELECT id FROM accounts_user WHERE username LIKE 'bench_%'"
        cursor.execute(f"DELETE FROM accounts_user_groups WHERE user_id IN ({bench_users})")  # noqa: S608 - constant
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
    met = first["seconds"] < 30 and again.reminders == 0
    report.add(f"  target: {items:,} due items < 30 s, rerun records 0: {report.verdict('reminders', met)}")


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
    met = first["seconds"] < 60 and again["changed"] == 0
    report.add(f"  target: {count:,} filings < 60 s, rerun changes 0: {report.verdict('retier', met)}")


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


BENCHMARKS: dict[str, Callable[..., None]] = {}  # filled at the end of the module


def run(names: list[str], options: dict[str, Any]) -> Report:
    check_database()
    report = Report()
    if "reminders" in names:
        report.add("== reminder sweep ==")
        reminder_benchmark(report, items=options["reminders"], organizations=options["organizations"])
    if "retier" in names:
        report.add("== re-tiering ==")
        retier_benchmark(report, count=options["filings"], organizations=options["organizations"])
    if "registry" in names:
        report.add("== public registry search ==")
        registry_benchmark(report, count=options["filings"], organizations=options["organizations"])
    if "dashboard" in names:
        report.add("== supervisors' dashboard ==")
        dashboard_benchmark(report, count=options["filings"], organizations=options["organizations"])
    return report


# --- the public registry and the dashboard at a million filings -----------------------------------

WORDS_A = ("智能", "个性化", "内容", "资讯", "视频", "电商", "本地生活", "出行", "搜索", "社交", "音乐", "直播")
WORDS_B = ("推荐", "排序", "检索", "过滤", "调度", "生成", "合成", "分发", "匹配", "审核", "精选", "推送")
CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "重庆", "苏州", "天津")
SYLLABLES = "云帆星海智信达远航创新宏图启明锐思博雅优品天润鼎盛华为领先新锐"
PROVINCE_CODES = ("11", "31", "44", "33", "32", "51", "42", "61", "50", "12", "37", "35")
TYPES = ("personalized_push", "sorting_selection", "retrieval_filtering", "scheduling_decision", "generation_synthesis")


def _pick(values: tuple[str, ...], expr: str) -> str:
    return f"(ARRAY{list(values)!r})[1 + ({expr}) % {len(values)}]"


def _chars(expr: str) -> str:
    return f"substr('{SYLLABLES}'::text, (1 + ({expr}) % {len(SYLLABLES) - 1})::int, 2)"


def big_registry(count: int, organizations: int) -> None:
    """``count`` filings spread over provinces, tiers and statuses, and a listing for each published one."""
    reset()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE filings_publiclisting, supervision_filingcount")
    providers(organizations)
    name = f"{_pick(WORDS_A, 'g * 7')} || {_pick(WORDS_B, 'g * 13')} || '算法' || g"
    status = (
        "(CASE WHEN g % 100 < 42 THEN 'published' WHEN g % 100 < 77 THEN 'approved' WHEN g % 100 < 83 THEN 'in_review'"
        " WHEN g % 100 < 87 THEN 'submitted' WHEN g % 100 < 90 THEN 'rejected' WHEN g % 100 < 93 THEN 'draft'"
        " WHEN g % 100 < 95 THEN 'withdrawn' WHEN g % 100 < 97 THEN 'returned' WHEN g % 100 < 99 THEN 'cancelled'"
        " ELSE 'revoked' END)"
    )
    filings(
        count,
        status_sql=status,
        extra={
            "name": name,
            "province_code": _pick(PROVINCE_CODES, "g * 31"),
            "algorithm_type": _pick(TYPES, "g * 17"),
            "tier": "(CASE WHEN g % 20 < 9 THEN 1 WHEN g % 20 < 16 THEN 2 WHEN g % 20 < 19 THEN 3 ELSE 4 END)",
            "filing_number": "'网信算备' || lpad(g::text, 21, '0') || '号'",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO filings_publiclisting (filing_id, series, state, name, category, algorithm_type, role,
                organization_name, products, purpose, filing_number, province_code, remarks, disclosure,
                published_on, changed_on)
            SELECT f.id, 'algorithm', CASE WHEN f.status = 'published' THEN 'active' ELSE f.status END, f.name, '',
                f.algorithm_type, 'service_provider',
                {_pick(CITIES, "f.id * 3")} || {_chars("f.id * 7")} || {_chars("f.id * 11")} || '科技有限公司',
                {_chars("f.id * 5")} || {_pick(WORDS_A, "f.id")} || '（APP）',
                '应用于' || {_pick(WORDS_A, "f.id * 19")} || '场景。',
                f.filing_number, f.province_code, '', '{{}}'::jsonb, current_date, current_date
            FROM filings_filing f WHERE f.status IN ('published', 'cancelled', 'revoked')"""  # noqa: S608 - constants
        )
        cursor.execute("ANALYZE filings_publiclisting")
        cursor.execute("ANALYZE filings_filing")


def _timings(call: Callable[[], Any], runs: int = 20) -> tuple[float, float]:
    for _warm in range(3):
        call()
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def registry_benchmark(report: Report, *, count: int, organizations: int) -> None:
    from filings import public

    with timed(report, f"generate {count:,} filings and their listings"):
        big_registry(count, organizations)
    report.add(f"  listings: {_count('filings_publiclisting'):,}")
    for query in ("推", "推荐", "智能推荐", "视频生成", "深圳", "算法", "云帆", "zz"):
        p50, p95 = _timings(lambda q=query: public.public_search(q=q))  # type: ignore[misc]
        page = public.public_search(q=query)
        total = (
            f"about {page.total}" if page.approximate else f"{page.total}+" if page.total_capped else str(page.total)
        )
        verdict = report.verdict(f"search {query}", p50 < 20)
        report.add(f"  search {query!r:>8}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {total} matches ({verdict} < 20 ms)")
    _registry_over_http(report)


def _registry_over_http(report: Report) -> None:
    """The first page as a visitor gets it: the whole request, rate limiting and filters included."""
    from django.test import Client

    client = Client()
    visitors = iter(range(1, 1_000_000))

    def get(path: str, params: dict[str, str]) -> None:
        # A new address per request, as many visitors: the rate limiter counts each in PostgreSQL.
        n = next(visitors)
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        response = client.get(path, params, HTTP_HOST="127.0.0.1", REMOTE_ADDR=address)
        assert response.status_code == 200, response.status_code

    cases = (
        ("/registry/", {"q": "推"}),
        ("/registry/", {"q": "推荐", "province": "44"}),
        ("/registry/", {"q": "智能推荐", "algorithm_type": "personalized_push"}),
        ("/api/v1/public/filings/", {"q": "推荐"}),
        ("/api/v1/public/filings/", {"q": "视频", "province": "11", "algorithm_type": "generation_synthesis"}),
    )
    for path, params in cases:
        p50, p95 = _timings(lambda p=path, q=params: get(p, q))  # type: ignore[misc]
        report.add(f"  GET {path} {params}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (whole request, for reference)")


def _tasks(active: int, decided: int) -> None:
    now = "now()"
    common = {
        "subject_type": "'filing'",
        "subject_id": "g",
        "round": "1",
        "due_provisional": "false",
        "decision": "''",
        "reasons": "''",
        "item_reasons": "'{}'::jsonb",
        "fast_track": "false",
        "correction_overdue": "false",
        "required_votes": "1",
        "stage_order": "1",
        "final": "true",
        "stage": "'provincial_review'",
        "organization_id": "(SELECT min(id) FROM accounts_organization WHERE name LIKE 'bench %')",
        "office_id": "(SELECT id FROM accounts_regulatoroffice WHERE province_code = "  # noqa: S608 - constants
        + _pick(PROVINCE_CODES, "g")
        + ")",
        "province_code": _pick(PROVINCE_CODES, "g"),
    }
    _insert(
        "supervision_reviewtask",
        f"generate_series(1, {active}) AS g",
        {
            **common,
            "status": "(CASE WHEN g % 3 = 0 THEN 'claimed' ELSE 'open' END)",
            "created_at": f"{now} - ((g % 60) || ' days')::interval",
            "due": "current_date + (g % 20) - 8",
            "decision_due": "current_date + (g % 40) - 5",
        },
    )
    _insert(
        "supervision_reviewtask",
        f"generate_series(1, {decided}) AS g",
        {
            **common,
            "status": "'decided'",
            "decision": "(CASE WHEN g % 7 = 0 THEN 'return' WHEN g % 31 = 0 THEN 'reject' ELSE 'approve' END)",
            "created_at": f"{now} - ((g % 120) || ' days')::interval",
            "decided_at": f"{now} - ((g % 85) || ' days')::interval",
            "decided_by_id": "(SELECT id FROM accounts_user WHERE username = 'bench_admin')",
            "due": "(current_date - (g % 85)) + (g % 11) - 5",
            "decision_due": "(current_date - (g % 85)) + (g % 30) - 3",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE supervision_reviewtask")


def dashboard_benchmark(report: Report, *, count: int, organizations: int) -> None:
    from django.test import Client

    from accounts.services.staff import staff_create
    from supervision import stats
    from supervision.models import StatsSnapshot

    if _count("filings_filing") < count:
        with timed(report, f"generate {count:,} filings"):
            big_registry(count, organizations)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE supervision_reviewtask, supervision_statssnapshot CASCADE")
    with timed(report, "generate 100,000 open and 300,000 decided review tasks"):
        _tasks(100_000, 300_000)
    with timed(report, "compute the review figures of the country (the 5-minute sweep)"):
        stats.stats_refresh(scope=stats.COUNTRY)
    with timed(report, "compute the review figures of every scope (32)"):
        stats.stats_refresh()
    report.add(f"  snapshots: {StatsSnapshot.objects.count()}")
    supervisor = User.objects.filter(username="bench_supervisor").first() or staff_create(
        username="bench_supervisor",
        email="bench@bench.example",
        password="x-" * 8,
        role="supervisor",
        office_code="000000",
    )
    client = Client()
    client.force_login(supervisor)
    for label, path in (("country", "/supervision/dashboard/"), ("Guangdong", "/supervision/dashboard/?province=44")):
        p50, p95 = _timings(lambda p=path: client.get(p, HTTP_HOST="127.0.0.1"))  # type: ignore[misc]
        verdict = report.verdict(f"dashboard {label}", p50 < 60)
        report.add(f"  dashboard ({label}), whole request: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({verdict} < 60 ms)")
    p50, p95 = _timings(lambda: stats.filing_matrix(stats.COUNTRY))
    report.add(f"  the live filing matrix alone: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


_ALL: dict[str, Callable[..., None]] = {
    "reminders": reminder_benchmark,
    "retier": retier_benchmark,
    "registry": registry_benchmark,
    "dashboard": dashboard_benchmark,
}
BENCHMARKS.update(_ALL)
