"""A supervisor publishes a batch; an anonymous visitor finds the filing and verifies its number."""

import pytest
from playwright.sync_api import Page, expect

from filings.models import Filing
from tests.conftest import all_reference_data
from tests.factories import PASSWORD, make_approved, make_filing_approved, make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_then_find_and_verify(live_server, page: Page):
    all_reference_data()
    provider = make_user(username="provider_bj")
    reviewer = make_staff("reviewer_bj", "reviewer", "110000")
    make_approved(provider, "110108", reviewer=reviewer)
    provider.refresh_from_db()
    filing = make_filing_approved(provider, reviewer, name="智询资讯推荐算法")
    make_staff("supervisor", "supervisor", "000000")
    base = live_server.url

    # The central supervisor assembles the next batch, reviews it and publishes it.
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(f"{base}/supervision/publication/")
    page.locator("#list-algorithm button[type=submit]").click()
    page.locator("#add-all").click()
    expect(page.locator("#batch-entries")).to_contain_text("智询资讯推荐算法")
    page.check("#reviewed")
    page.locator("#publish-batch button[type=submit]").click()
    expect(page.locator("#announcement")).to_contain_text(filing.filing_number)
    assert Filing.objects.get(pk=filing.pk).status == "published"

    # An anonymous visitor finds it with two characters and verifies its number.
    page.context.clear_cookies()
    page.goto(f"{base}/registry/")
    page.fill("#q", "推荐")
    page.locator("#registry-search button[type=submit]").click()
    page.get_by_role("link", name="智询资讯推荐算法").click()
    expect(page.locator("#public-number")).to_have_text(filing.filing_number)
    page.get_by_role("link", name="核验该备案编号").click()
    expect(page.locator("#verify-result")).to_contain_text("有效")
    expect(page.locator("#verify-format")).to_contain_text("格式正确")
