"""The supervisors' dashboard: exact counts kept by triggers, scoped figures, drill-downs, exports, API."""

from __future__ import annotations

import datetime
import re

import pgtrigger
import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent
from filings.models import Filing
from supervision import stats
from supervision.models import FilingCount, ReviewTask, StatsSnapshot
from supervision.services.review import task_claim, task_decide
from tests.conftest import api_as, web_as
from tests.factories import make_filing_approved, make_filing_draft, make_filing_submitted

pytestmark = pytest.mark.usefixtures("reference_data")


def _exact() -> dict[tuple[str, int, str, str], int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT province_code, coalesce(tier, 0), status, algorithm_type, count(*)"
            " FROM filings_filing GROUP BY 1, 2, 3, 4"
        )
        return {tuple(row[:4]): row[4] for row in cursor.fetchall()}


def _rollup() -> dict[tuple[str, int, str, str], int]:
    return {(c.province_code, c.tier, c.status, c.algorithm_type): c.n for c in FilingCount.objects.filter(n__gt=0)}


def test_the_rollup_stays_exact_through_every_kind_of_change(provider_a, provider_b, reviewer_bj):
    make_filing_draft(provider_a)
    make_filing_submitted(provider_b)
    filing = make_filing_approved(provider_a, reviewer_bj)
    Filing.objects.filter(pk=filing.pk).update(tier=3, policy_tier=3)  # a set-based update (re-tiering)
    from filings.models import FilingVersion

    with pgtrigger.ignore("filings.FilingVersion:version_never_deleted"):
        FilingVersion.objects.filter(filing__status="draft").delete()
    Filing.objects.filter(status="draft").delete()
    assert _rollup() == _exact()


def test_supervisors_see_their_scope_and_nobody_else_sees_the_dashboard(
    provider_a, provider_b, reviewer_bj, supervisor, supervisor_gd
):
    make_filing_approved(provider_a, reviewer_bj, name="北京的算法")
    make_filing_submitted(provider_b, name="广东的算法")
    country = web_as(supervisor).get("/supervision/dashboard/").content.decode()
    assert 'id="table-province"' in country
    gd = web_as(supervisor_gd).get("/supervision/dashboard/")
    html = gd.content.decode()
    assert gd.status_code == 200 and 'id="table-province"' not in html
    # Guangdong's funnel counts one submitted filing and no approved one
    funnel = dict(re.findall(r"<th>([^<]+)</th><td class=\"text-end\"><a href=\"[^\"]+\">(\d+)</a>", html))
    assert funnel["已提交"] == "1" and funnel["已备案"] == "0"
    for outsider in (provider_a, reviewer_bj):
        assert web_as(outsider).get("/supervision/dashboard/").status_code == 404


def test_a_number_leads_to_the_filings_behind_it(provider_a, reviewer_bj, supervisor):
    for n in range(2):
        make_filing_approved(provider_a, reviewer_bj, name=f"已备案{n}")
    make_filing_submitted(provider_a, name="审核中")
    html = web_as(supervisor).get("/supervision/dashboard/").content.decode()
    link = re.search(r'href="(/filings/\?[^"]*status=approved[^"]*)">2<', html.replace("&amp;", "&"))
    assert link is not None
    listed = web_as(supervisor).get(link.group(1)).content.decode()
    assert listed.count("已备案") >= 2 and "审核中" not in listed


def test_backlog_ageing_and_its_drill_down(provider_a, reviewer_bj, supervisor):
    filing = make_filing_submitted(provider_a)
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk)
    old = timezone.now() - datetime.timedelta(days=60)
    ReviewTask.objects.filter(pk=task.pk).update(created_at=old)
    figures = stats.compute(stats.COUNTRY)
    assert figures["backlog"] == [{"office": "110000", "stage": "provincial_review", "age": "30+", "n": 1}]
    client = web_as(supervisor)
    html = client.get("/supervision/dashboard/").content.decode().replace("&amp;", "&")
    link = re.search(r'href="(/review/\?[^"]*age=30%2B[^"]*)"', html)
    assert link is not None
    queue = client.get(link.group(1)).content.decode()
    assert f"/review/tasks/{task.pk}/" in queue
    empty = client.get(link.group(1).replace("30%2B", "0-5")).content.decode()
    assert f"/review/tasks/{task.pk}/" not in empty


def test_missed_deadlines_are_counted_per_reviewer(provider_a, reviewer_bj, supervisor):
    filing = make_filing_submitted(provider_a)
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ReviewTask.objects.filter(pk=task.pk).update(due=yesterday, decision_due=yesterday)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    (row,) = stats.compute(stats.COUNTRY)["decisions"]
    # (reviewer_bj also approved provider_a's organisation, in time)
    assert (row["reviewer"], row["decided"], row["stage_breaches"], row["statutory_breaches"]) == (
        "reviewer_bj",
        2,
        1,
        1,
    )
    listed = web_as(supervisor).get(
        f"/review/?tab=all&status=decided&window=recent&breached=stage&decided_by={reviewer_bj.pk}"
    )
    assert f"/review/tasks/{task.pk}/" in listed.content.decode()


def test_exports_are_recorded_in_the_audit_log(provider_a, reviewer_bj, supervisor):
    make_filing_approved(provider_a, reviewer_bj)
    response = web_as(supervisor).get("/supervision/dashboard/export/tier/csv/")
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff") and "级别" in body
    event = AuditEvent.objects.get(action="export.downloaded")
    assert event.actor == supervisor and event.payload["table"] == "tier"
    assert web_as(supervisor).get("/supervision/dashboard/export/tier/xlsx/").status_code == 200
    assert web_as(supervisor).get("/supervision/dashboard/export/nothing/csv/").status_code == 404


def test_the_stats_api_gives_the_dashboards_figures(
    provider_a, provider_b, reviewer_bj, reviewer_gd, supervisor, supervisor_gd
):
    _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd)
    api = api_as(supervisor)
    overview = api.get("/api/v1/stats/overview/").json()
    beijing = stats.compute("11")
    assert overview["scope"] == "CN" and overview["filters"] == {"province": "", "algorithm_type": "", "tier": ""}
    assert overview["totals"] == stats.matrix_tables(stats.filing_matrix("CN"))["totals"]
    assert overview["return_rate"] == round(1 / 9, 4)
    narrowed = api.get("/api/v1/stats/overview/", {"province": "11", "tier": "1"}).json()
    assert narrowed["scope"] == "11" and narrowed["reassessment"] == beijing["reassessment"]
    assert set(narrowed["by_tier"]) == {"1"} and narrowed["by_province"].keys() == {"11"}
    backlog = api.get("/api/v1/stats/backlog/", {"province": "11"}).json()["backlog"]
    assert backlog == beijing["backlog"]
    reviewers = api.get("/api/v1/stats/reviewers/", {"province": "11"}).json()
    (row,) = reviewers["reviewers"]
    assert (row["decided"], row["stage_breaches"], row["stage_breach_rate"]) == (7, 1, round(1 / 7, 4))
    assert row["statutory_breach_rate"] == round(1 / 7, 4)
    (office,) = reviewers["offices"]
    assert (office["office"], office["open_stage_overdue"], office["open_statutory_overdue"]) == ("110000", 1, 1)
    weeks = api.get("/api/v1/stats/throughput/", {"province": "11"}).json()["throughput"]
    assert sum(w["approve"] for w in weeks) == 6 and sum(w["return"] for w in weeks) == 1
    trends = api.get("/api/v1/stats/trends/", {"province": "11"}).json()["trends"]
    assert trends[-1]["day"] == timezone.localdate().isoformat() and trends[-1]["backlog"] == 1
    # a provincial supervisor cannot widen the scope; anyone else: the endpoints do not exist
    assert api_as(supervisor_gd).get("/api/v1/stats/backlog/", {"province": "11"}).json() == {
        "scope": "44",
        "backlog": [],
    }
    assert api_as(supervisor_gd).get("/api/v1/stats/overview/").json()["by_province"].keys() == {"44"}
    for section in ("overview", "backlog", "reviewers", "throughput", "trends"):
        response = api_as(reviewer_bj).get(f"/api/v1/stats/{section}/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404 and response.json() == {"detail": "Statistics are for supervisors."}
        assert api_as(provider_a).get(f"/api/v1/stats/{section}/").status_code == 404
    assert api_as(None).get("/api/v1/stats/overview/").status_code == 404


def test_the_stats_api_takes_a_fixed_number_of_queries(
    provider_a, reviewer_bj, supervisor, django_assert_max_num_queries
):
    api = api_as(supervisor)
    api.get("/api/v1/stats/overview/")  # today's snapshot now exists
    for n in range(3):
        make_filing_approved(provider_a, reviewer_bj, name=f"算法{n}")
    for section in ("overview", "backlog", "reviewers", "throughput", "trends"):
        # token, user, roles, office; the matrix, the snapshot, the trends
        with django_assert_max_num_queries(8):
            assert api.get(f"/api/v1/stats/{section}/").status_code == 200


def test_a_provincial_supervisor_sees_only_the_province(
    provider_a, provider_b, reviewer_bj, reviewer_gd, supervisor_gd
):
    _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd)
    html = web_as(supervisor_gd).get("/supervision/dashboard/", {"province": "11"}).content.decode()
    assert 'id="dashboard-scope">广东省' in html and 'id="f-province"' not in html
    for table in ("table-backlog", "table-offices", "table-reviewers", "table-tier", "table-type"):
        assert "110000" not in _screen_table(html, table).__repr__() and "reviewer_bj" not in html, table
    assert _screen_table(html, "table-offices")[1][:2] == ["440000", "2"]
    csv_body = web_as(supervisor_gd).get("/supervision/dashboard/export/offices/csv/", {"province": "11"})
    assert "110000" not in csv_body.getvalue().decode("utf-8-sig")


def test_snapshots_are_one_row_per_scope_and_day_and_make_the_trends(supervisor):
    assert stats.stats_refresh(scope="CN") == 1
    stats.stats_refresh(scope="CN")
    assert StatsSnapshot.objects.filter(scope="CN").count() == 1
    StatsSnapshot.objects.create(
        scope="CN",
        day=timezone.localdate() - datetime.timedelta(days=1),
        taken_at=timezone.now(),
        data={"backlog_total": 7},
    )
    trends = stats.trends("CN")
    assert trends[0]["backlog"] == 7 and len(trends) == 2


def test_the_dashboard_takes_a_fixed_number_of_queries(
    provider_a, reviewer_bj, supervisor, django_assert_max_num_queries
):
    client = web_as(supervisor)
    client.get("/supervision/dashboard/")  # today's snapshot now exists
    for n in range(3):
        make_filing_approved(provider_a, reviewer_bj, name=f"算法{n}")
    # session, user, roles, office, unread count, the matrix, the snapshot, the trends, session refresh
    with django_assert_max_num_queries(11):
        assert client.get("/supervision/dashboard/").status_code == 200


def test_a_weeks_throughput_leads_to_the_decisions_behind_it(provider_a, reviewer_bj, supervisor):
    filing = make_filing_submitted(provider_a)
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="补充材料")
    client = web_as(supervisor)
    html = client.get("/supervision/dashboard/").content.decode().replace("&amp;", "&")
    link = re.search(r'href="(/review/\?[^"]*decision=return[^"]*)">1<', html)
    assert link is not None
    assert f"/review/tasks/{task.pk}/" in client.get(link.group(1)).content.decode()
    other = link.group(1).replace("decision=return", "decision=approve")
    assert f"/review/tasks/{task.pk}/" not in client.get(other).content.decode()


def _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd) -> None:
    """Three decisions in Beijing (one returned, one late at its stage and statutorily), one in
    Guangdong; a re-assessment waiting on time, one overdue, one submitted late, one on time; one open
    task aged 12 working days and past both its deadlines."""
    from filings.models import Reassessment
    from filings.services.reassessments import reassessments_open

    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def decide(provider, reviewer, decision, late=False):
        filing = make_filing_submitted(provider)
        task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk)
        task_claim(task_id=task.pk, actor=reviewer)
        if late:
            ReviewTask.objects.filter(pk=task.pk).update(due=yesterday, decision_due=yesterday)
        task_decide(task_id=task.pk, actor=reviewer, decision=decision, reasons="理由")
        return filing

    approved = decide(provider_a, reviewer_bj, "approve")
    decide(provider_a, reviewer_bj, "approve", late=True)
    decide(provider_a, reviewer_bj, "return")
    decide(provider_b, reviewer_gd, "approve")
    waiting = make_filing_submitted(provider_a)
    old_task = ReviewTask.objects.get(subject_type="filing", subject_id=waiting.pk)
    calendar = stats.WorkCalendar.load()
    opened = stats.working_days_ago(calendar, timezone.localdate(), 12)
    ReviewTask.objects.filter(pk=old_task.pk).update(
        created_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(10))),
        due=yesterday,
        decision_due=yesterday,
    )
    others = [make_filing_approved(provider_a, reviewer_bj, name=f"复评{n}") for n in range(3)]
    reassessments_open(filing_ids=[approved.pk, *[f.pk for f in others]], reason="periodic")
    cases = list(Reassessment.objects.order_by("id"))
    Reassessment.objects.filter(pk=cases[1].pk).update(late=True)
    Filing.objects.filter(pk=cases[1].filing_id).update(reassessment_overdue=True)  # as the daily sweep does
    Reassessment.objects.filter(pk=cases[2].pk).update(status="submitted", late=True, submitted_at=timezone.now())
    Reassessment.objects.filter(pk=cases[3].pk).update(status="approved", late=False, submitted_at=timezone.now())


def test_every_statistic_matches_a_hand_computed_fixture(provider_a, provider_b, reviewer_bj, reviewer_gd):
    _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd)

    beijing = stats.compute("11")
    # backlog: the one open task, 12 working days old
    assert beijing["backlog"] == [{"office": "110000", "stage": "provincial_review", "age": "11-20", "n": 1}]
    # decisions by reviewer_bj: the organisation, three filings, three more approved for re-assessment
    (row,) = beijing["decisions"]
    assert (row["decided"], row["stage_breaches"], row["statutory_breaches"], row["returns"]) == (7, 1, 1, 1)
    assert (row["with_statutory"], row["round_ends"]) == (7, 7)
    (office,) = beijing["offices"]
    assert office["office"] == "110000" and office["decided"] == 7
    assert (office["open_stage_overdue"], office["open_statutory_overdue"]) == (1, 1)
    assert beijing["return_rate"] == round(1 / 7, 4)
    assert sum(week.get("approve", 0) for week in beijing["throughput"]) == 1 + 2 + 3  # organisation + 2 + 3
    assert sum(week.get("return", 0) for week in beijing["throughput"]) == 1
    assert beijing["reassessment"] == {"due": 1, "overdue": 1, "on_time": 1, "late": 1}
    # Guangdong sees its own decisions only
    guangdong = stats.compute("44")
    assert [(r["reviewer"], r["decided"]) for r in guangdong["decisions"]] == [("reviewer_gd", 2)]
    assert [(o["office"], o["decided"], o["open_stage_overdue"]) for o in guangdong["offices"]] == [("440000", 2, 0)]
    assert guangdong["reassessment"] == {"due": 0, "overdue": 0, "on_time": 0, "late": 0}
    assert stats.compute("CN")["return_rate"] == round(1 / 9, 4)


def _ids(html: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, html))


@pytest.mark.parametrize("query", ["", "?province=11", "?province=44&tier=1"])
def test_every_number_on_the_dashboard_leads_to_that_many_items(
    query, provider_a, provider_b, reviewer_bj, reviewer_gd, supervisor
):
    """Follow every link of every table: the list behind a number holds exactly that many items."""
    _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd)
    make_filing_draft(provider_a, algorithm_type="")  # the type table's "—" row
    # a decision nobody made by hand (imported history) forms a reviewer row of its own
    ReviewTask.objects.filter(status="decided", office__code="110000", decision="approve").filter(
        pk=ReviewTask.objects.filter(status="decided", office__code="110000").order_by("id").values("pk")[:1]
    ).update(decided_by=None)
    stats.stats_refresh()
    client = web_as(supervisor)
    html = client.get(f"/supervision/dashboard/{query}").content.decode().replace("&amp;", "&")
    links = re.findall(r'<a href="(/(?:filings|review)/\?[^"]*)">([0-9.]+%?)</a>', html)
    if "44" not in query:
        assert "decided_by=none" in html and "algorithm_type=none" in html
    assert len(links) > (40 if not query else 15)
    followed = 0
    for url, shown in links:
        target = client.get(url)
        assert target.status_code == 200, url
        # and the list says what it is showing
        assert 'id="drill-down"' in target.content.decode() or 'id="list-filters"' in target.content.decode(), url
        items = _ids(target.content.decode(), r'href="/(?:filings|review/tasks)/(\d+)/"')
        if shown.endswith("%") or "." in shown:
            assert items, url  # a rate leads to the decisions it counts
            continue
        assert len(items) == int(shown), (url, shown, len(items))
        followed += 1
    assert followed > (30 if not query else 10)
    # and the table rows that have no number of their own carry no link
    assert 'href=""' not in html


def _screen_table(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_exports_open_and_match_the_screen(provider_a, provider_b, reviewer_bj, reviewer_gd, supervisor):
    from tests.sheets import csv_rows, xlsx_rows

    _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd)
    client = web_as(supervisor)
    for query in ({}, {"province": "11", "tier": "1", "algorithm_type": "personalized_push"}):
        html = client.get("/supervision/dashboard/", query).content.decode()
        for table in ("tier", "province", "type", "backlog", "offices", "reviewers", "throughput", "trends"):
            if table == "province" and query:
                continue  # one province: the page leaves the province table out
            screen = _screen_table(html, f"table-{table}")
            assert len(screen) > 1, table  # a header and at least one row
            exported = csv_rows(client.get(f"/supervision/dashboard/export/{table}/csv/", query).getvalue())
            assert exported == screen, (table, query)
            assert xlsx_rows(client.get(f"/supervision/dashboard/export/{table}/xlsx/", query).getvalue()) == screen
    # the filters travel with the export: Beijing, tier 1, one type has fewer filings than the country
    everything = csv_rows(client.get("/supervision/dashboard/export/tier/csv/").getvalue())
    narrowed = csv_rows(
        client.get("/supervision/dashboard/export/tier/csv/", {"province": "11", "tier": "2"}).getvalue()
    )
    assert len(narrowed) == 1 < len(everything)  # no tier-2 filing: the header alone
    event = AuditEvent.objects.filter(action="export.downloaded").order_by("-id").first()
    assert event is not None and event.payload["scope"] == "11" and event.payload["tier"] == "2"


def test_a_drilled_down_queue_names_its_filters_and_keeps_them_when_narrowed(
    provider_a, provider_b, reviewer_bj, reviewer_gd, supervisor
):
    _fixture(provider_a, provider_b, reviewer_bj, reviewer_gd)
    client = web_as(supervisor)
    url = f"/review/?tab=all&status=decided&window=recent&office=110000&breached=stage&decided_by={reviewer_bj.pk}"
    html = client.get(url).content.decode()
    banner = html.split('id="drill-down"', 1)[1].split("</div>", 1)[0]
    assert "网信部门 110000" in banner and "由 reviewer_bj 决定" in banner and "超过环节期限后决定" in banner
    form = html.split('id="queue-filters"', 1)[1].split("</form>", 1)[0]
    assert 'name="breached" value="stage"' in form and 'name="office" value="110000"' in form
    filings = client.get("/filings/?tier=1&province=11&status=approved").content.decode()
    banner = filings.split('id="list-filters"', 1)[1].split("</div>", 1)[0]
    assert "北京市" in banner and "第 1 级" in banner and "已备案" in banner


def test_the_weeks_of_the_throughput_are_whole_weeks_from_monday_in_beijing():
    now = datetime.datetime(2026, 11, 28, 1, 30, tzinfo=datetime.UTC)  # Saturday 09:30 in Beijing
    start = stats.weeks_start(now)
    assert start.isoformat() == "2026-09-07T00:00:00+08:00" and start.weekday() == 0
    # at 23:30 UTC on Sunday it is already Monday in Beijing: a new week begins
    assert stats.weeks_start(datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)).day == 14


def test_a_past_days_numbers_issued_list_leaves_out_what_was_imported_later(provider_a, reviewer_bj, supervisor):
    filing = make_filing_approved(provider_a, reviewer_bj)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    two_days_ago = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(9))) - datetime.timedelta(
        days=1
    )
    # imported today, with CAC's (earlier) publication date as its approval
    Filing.objects.filter(pk=filing.pk).update(approved_at=two_days_ago)
    client = web_as(supervisor)
    listed = client.get("/filings/", {"numbered_before": yesterday.isoformat()}).content.decode()
    assert f"/filings/{filing.pk}/" not in listed
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    listed = client.get("/filings/", {"numbered_before": tomorrow.isoformat()}).content.decode()
    assert f"/filings/{filing.pk}/" in listed
