import pytest
from playwright.sync_api import Page, expect

from tests.conftest import all_reference_data
from tests.factories import PASSWORD, make_approved, make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_watch(page: Page) -> list[str]:
    """Collects CSP violations and console errors of the page."""
    problems: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return problems


def test_a_provider_signs_in_sees_chinese_and_switches_to_english(live_server, page: Page, csp_watch):
    # given an approved provider (transactional tests start from empty tables)
    all_reference_data()
    provider = make_user(username="provider_bj")
    make_approved(provider, "110108", reviewer=make_staff("reviewer_bj", "reviewer", "110000"))

    # when they sign in from an English browser
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    page.fill("#id_username", "provider_bj")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()

    # then the home page is in Chinese
    expect(page.locator("h1")).to_contain_text("测试科技有限公司")
    expect(page.locator("#org-status")).to_have_text("已通过")
    expect(page.locator("#next-step h2")).to_have_text("下一步")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"

    # when they switch to English
    page.get_by_role("button", name="English").click()

    # then the same page is in English, and stays so
    expect(page.locator("#next-step h2")).to_have_text("What to do next")
    expect(page.locator("#org-status")).to_have_text("Approved")
    page.reload()
    expect(page.locator("#next-step h2")).to_have_text("What to do next")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("typeof bootstrap") == "object"
    assert csp_watch == []
