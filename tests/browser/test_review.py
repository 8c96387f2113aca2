"""A reviewer returns a filing, the provider corrects it, two reviewers approve it (tier 2), and the
provider sees the filing number."""

import pytest
from playwright.sync_api import Page, expect

from filings.models import Filing
from tests.conftest import all_reference_data
from tests.factories import PASSWORD, make_approved, make_filing_submitted, make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()


def _decide(page: Page, base: str, reviewer: str, filing_name: str, decision: str, reasons: str = "") -> None:
    _sign_in(page, base, reviewer)
    page.goto(f"{base}/review/?tab=office")
    page.get_by_role("link", name=filing_name).click()
    page.locator("#claim").click()
    page.check(f"input[name=decision][value={decision}]")
    if reasons:
        page.fill("#id_reasons", reasons)
    page.locator("#decide").click()
    expect(page.locator("#task-status")).to_have_text("已决定")


def test_return_correct_and_approve_through_two_reviewers(live_server, page: Page):
    all_reference_data()
    provider = make_user(username="provider_bj")
    make_approved(provider, "110108", reviewer=make_staff("reviewer_x", "reviewer", "110000"))
    provider.refresh_from_db()
    make_staff("reviewer_bj", "reviewer", "110000")
    make_staff("reviewer_bj2", "reviewer", "110000")
    filing = make_filing_submitted(provider, name="二级推荐算法", monthly_active_users=1_000_000)
    assert filing.tier == 2
    base = live_server.url

    # The first reviewer returns it for correction.
    _decide(page, base, "reviewer_bj", "二级推荐算法", "return", "请补充训练数据来源。")

    # The provider sees the reasons, corrects and resubmits.
    _sign_in(page, base, "provider_bj")
    page.goto(f"{base}/filings/{filing.pk}/")
    expect(page.locator("#filing-status")).to_have_text("退回补正")
    expect(page.locator("main")).to_contain_text("请补充训练数据来源。")
    page.locator("#resume").click()
    page.locator("button[name=goto][value=detail]").first.click()
    page.fill("#id_models_and_datasets", "双塔模型；训练数据来源：自有平台脱敏日志。")
    page.locator("button[name=goto][value=preview]").first.click()
    page.locator("#submit-filing").click()
    expect(page.locator("#filing-status")).to_have_text("已提交")

    # Tier 2: one reviewer recommends, a different one decides.
    _decide(page, base, "reviewer_bj", "二级推荐算法", "recommend_approval")
    _decide(page, base, "reviewer_bj2", "二级推荐算法", "approve")

    # The provider sees the filing number and the notice.
    _sign_in(page, base, "provider_bj")
    page.goto(f"{base}/filings/{filing.pk}/")
    number = Filing.objects.get(id=filing.pk).filing_number
    assert number
    expect(page.locator("#filing-number")).to_have_text(number)
    expect(page.locator("#notices")).to_contain_text("备案通知书")
