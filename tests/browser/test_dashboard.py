"""The dashboard's charts draw under the CSP (data from json_script, Chart.js from static files)."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import all_reference_data
from tests.factories import PASSWORD, make_approved, make_filing_submitted, make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_charts_draw_without_a_csp_violation(live_server, page: Page):
    all_reference_data()
    provider = make_user(username="provider_bj")
    make_approved(provider, "110108", reviewer=make_staff("reviewer_x", "reviewer", "110000"))
    provider.refresh_from_db()
    make_filing_submitted(provider, name="待审核的算法")
    make_staff("supervisor", "supervisor", "000000")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(f"{live_server.url}/supervision/dashboard/")
    for chart in ("chart-funnel", "chart-tiers", "chart-throughput", "chart-trends"):
        expect(page.locator(f'canvas[data-chart="{chart}"]')).to_have_attribute("data-drawn", "1")
    # the table beside the chart says the same
    expect(page.locator("#funnel")).to_contain_text("已提交")
    assert problems == []
