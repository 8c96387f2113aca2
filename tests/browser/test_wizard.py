"""A provider fills the wizard, leaves, resumes days later (a new session), previews and submits."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import sample_pdf_bytes
from filings.models import Filing
from filings.workdays import WorkCalendar
from tests.conftest import all_reference_data
from tests.factories import PASSWORD, make_approved, make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "provider_bj")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#org-status")).to_be_visible()


def _wait_saved(page: Page) -> None:
    expect(page.locator("#autosave-status")).to_contain_text("已保存", timeout=10_000)


def test_fill_leave_resume_preview_submit(live_server, page: Page, tmp_path):
    all_reference_data()
    provider = make_user(username="provider_bj")
    make_approved(provider, "110108", reviewer=make_staff("reviewer_bj", "reviewer", "110000"))
    base = live_server.url
    launch = datetime.date.today() - datetime.timedelta(days=3)

    # Start and fill the first step; autosave keeps it without pressing anything.
    _sign_in(page, base)
    page.goto(f"{base}/filings/new/")
    page.fill("#id_name", "浏览器测试推荐算法")
    page.get_by_role("button", name="开始").click()
    page.select_option("#id_algorithm_type", "personalized_push")
    page.select_option("#id_role", "service_provider")
    page.fill("#id_launch_date", launch.isoformat())
    page.fill("#id_application_field", "新闻资讯")
    page.locator("#id_application_field").blur()
    _wait_saved(page)

    # Leave: sign out. Resume later in a new session, from the filings list.
    page.locator("nav form button", has_text="退出").click()
    _sign_in(page, base)
    page.goto(f"{base}/filings/")
    page.get_by_role("link", name="浏览器测试推荐算法").click()
    page.locator("#resume").click()
    expect(page.locator("#id_application_field")).to_have_value("新闻资讯")
    expect(page.locator("#id_launch_date")).to_have_value(launch.isoformat())

    page.locator("#next-step").click()
    page.fill("#id_introduction", "根据兴趣推荐资讯。")
    page.fill("#id_scenarios", "首页信息流。")
    page.check("input[name=input_modalities][value=text]")
    page.check("input[name=output_modalities][value=text]")
    page.fill("#id_models_and_datasets", "双塔模型，脱敏日志。")
    page.fill("#id_strategy", "召回与排序。")
    page.fill("#id_risks_and_safeguards", "提供关闭个性化推荐的选项。")
    page.locator("#next-step").click()

    page.fill("#id_products-0-name", "某某资讯")
    page.select_option("#id_products-0-service_form", "app")
    page.select_option("#id_products-0-service_status", "online")
    page.select_option("#id_products-0-audience", "public")
    page.select_option("#id_products-0-real_name_required", "yes")
    page.fill("#id_products-0-access_path", "首页-推荐")
    page.fill("#id_products-0-functions", "个性化推荐：按兴趣排序资讯")
    page.locator("#next-step").click()

    page.check("input[name=public_opinion_features][value=information_sharing]")
    page.select_option("#id_public_opinion", "yes")
    page.select_option("#id_content_category", "news")
    page.fill("#id_monthly_active_users", "1200000")
    page.select_option("#id_data_importance", "general")
    page.select_option("#id_intervention_level", "medium")
    page.locator("#next-step").click()

    page.fill("#id_disclosure_principle", "基于用户行为的协同过滤。")
    page.fill("#id_disclosure_mechanism", "召回、排序、展示。")
    page.fill("#id_disclosure_scenarios", "资讯首页。")
    page.fill("#id_disclosure_purpose", "帮助用户发现资讯。")
    page.locator("#next-step").click()

    page.select_option("#id_commitment_confirmed", "yes")
    _wait_saved(page)
    report = tmp_path / "自评估报告.pdf"
    report.write_bytes(sample_pdf_bytes())
    for kind in ("self_assessment_report", "commitment"):
        page.select_option("#documents #id_kind", kind)
        page.set_input_files("#documents #id_file", str(report))
        page.locator("#documents button[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()

    # Preview: exactly what the public will see, then submit.
    page.locator("#to-preview").click()
    expect(page.locator("#public-preview")).to_contain_text("基于用户行为的协同过滤。")
    expect(page.locator("#public-preview")).not_to_contain_text("双塔模型")
    expect(page.locator("#problems")).to_have_count(0)
    page.locator("#submit-filing").click()

    # The filing page shows the statutory deadlines.
    expect(page.locator("#filing-status")).to_have_text("已提交")
    expected_due = WorkCalendar().add(launch, 10).value.isoformat()
    expect(page.locator("#deadlines")).to_contain_text(expected_due)
    filing = Filing.objects.get(name="浏览器测试推荐算法")
    assert filing.status == "submitted" and str(filing.filing_due) == expected_due
    assert filing.decision_due is not None
    expect(page.locator("#deadlines")).to_contain_text(filing.decision_due.isoformat())


def test_a_second_tab_is_told_of_the_conflict(live_server, page: Page):
    from tests.factories import make_filing_draft

    all_reference_data()
    provider = make_user(username="provider_bj")
    make_approved(provider, "110108", reviewer=make_staff("reviewer_bj", "reviewer", "110000"))
    provider.refresh_from_db()
    filing = make_filing_draft(provider)
    base = live_server.url
    _sign_in(page, base)
    url = f"{base}/filings/{filing.pk}/edit/basic/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)

    # The first tab saves; the second, still on the old version, is refused and told why.
    page.fill("#id_application_field", "第一个标签页")
    page.locator("#id_application_field").blur()
    _wait_saved(page)
    other.fill("#id_application_field", "第二个标签页")
    other.locator("#id_application_field").blur()
    expect(other.locator("#autosave-status")).to_contain_text("另一个标签页", timeout=10_000)
    filing.refresh_from_db()
    assert filing.versions.get().data["application_field"] == "第一个标签页"
