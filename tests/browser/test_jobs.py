"""A supervisor watches a job's progress bar fill up while it runs (htmx polling under the CSP)."""

import pytest
from playwright.sync_api import Page, expect

from supervision.models import Job
from supervision.services.jobs import job_start
from tests.conftest import all_reference_data
from tests.factories import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_follows_a_running_job(live_server, page: Page):
    all_reference_data()
    make_staff("supervisor", "supervisor", "000000")
    job = job_start(kind="retier")
    Job.objects.filter(pk=job.pk).update(status="running", total=4, done=1)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(f"{live_server.url}/supervision/jobs/{job.pk}/")
    bar = page.locator("#job-progress .progress-bar")
    expect(bar).to_have_text("25%")
    assert bar.evaluate("element => element.style.width") == "25%"

    # The worker moves on and finishes; the page follows without a reload and stops polling.
    Job.objects.filter(pk=job.pk).update(done=3)
    expect(bar).to_have_text("75%", timeout=10_000)
    Job.objects.filter(pk=job.pk).update(status="succeeded", done=4, result={"changed": 12})
    expect(page.locator("#job-status")).to_have_text("已完成", timeout=10_000)
    expect(page.locator("#job-result")).to_contain_text("12")
    assert page.locator("#job-progress[hx-trigger]").count() == 0
    assert page.locator("#job-progress .progress-bar").evaluate("element => element.style.width") == "100%"
    assert violations == []
