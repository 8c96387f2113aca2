"""Long jobs: one active per kind, claimed once, resumed after a dead worker, progress on a page."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supervision.models import Job
from supervision.services import jobs
from supervision.services.jobs import job_run, job_start, job_sweep
from tests.conftest import web_as

pytestmark = pytest.mark.usefixtures("reference_data")


def test_starting_a_kind_that_is_already_active_joins_it(supervisor):
    first = job_start(kind="reassessment", actor=supervisor)
    second = job_start(kind="reassessment", actor=supervisor)
    assert first.pk == second.pk and Job.objects.count() == 1


def test_a_job_runs_once_even_if_dispatched_twice():
    job = job_start(kind="reassessment")
    assert job_run(job_id=job.pk) is True
    assert job_run(job_id=job.pk) is False  # the duplicate delivery finds it finished
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 1
    assert set(job.result) == {"rescheduled", "overdue", "opened", "tier_up"}


def test_a_running_job_is_not_claimed_by_a_second_worker_while_its_lease_holds():
    job = job_start(kind="reassessment")
    Job.objects.filter(pk=job.pk).update(status="running", lease_until=timezone.now() + datetime.timedelta(minutes=1))
    assert job_run(job_id=job.pk) is False
    assert Job.objects.get(pk=job.pk).attempts == 0


def test_a_job_whose_worker_died_is_handed_to_another_and_completes():
    # given a job a worker claimed and then died on (its lease ran out)
    job = job_start(kind="reassessment")
    Job.objects.filter(pk=job.pk).update(
        status="running", attempts=1, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    # when the job sweeper runs
    with mock.patch("supervision.tasks.job_run_task.delay") as delay:
        assert job_sweep() == 1
    delay.assert_called_once_with(job.pk)
    # then the next worker resumes and completes it
    assert job_run(job_id=job.pk) is True
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2


def test_a_job_that_fails_is_shown_failed_with_its_error():
    job = job_start(kind="reassessment")
    with mock.patch.object(jobs, "_runners", return_value={"reassessment": _explode}), pytest.raises(RuntimeError):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "disk on fire" in job.error and job.finished_at is not None
    # and a new job of the kind can start
    assert job_start(kind="reassessment").pk != job.pk


def _explode(params: dict, progress: object) -> dict:
    raise RuntimeError("disk on fire")


def test_supervisors_see_jobs_with_a_progress_bar(supervisor):
    job = job_start(kind="retier", actor=supervisor)
    Job.objects.filter(pk=job.pk).update(status="running", total=4, done=1)
    client = web_as(supervisor)
    page = client.get(f"/supervision/jobs/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-percent="25"' in html and 'hx-trigger="every 2s"' in html
    # the poll returns just the fragment; a finished job stops polling
    Job.objects.filter(pk=job.pk).update(status="succeeded", done=4)
    fragment = client.get(f"/supervision/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert (
        fragment.startswith('<div id="job-progress"')
        and "every 2s" not in fragment
        and 'data-percent="100"' in fragment
    )


def test_the_job_list_takes_a_fixed_number_of_queries(supervisor):
    client = web_as(supervisor)
    job_start(kind="retier", actor=supervisor)
    client.get("/supervision/jobs/")
    with CaptureQueriesContext(connection) as few:
        client.get("/supervision/jobs/")
    for _ in range(3):
        Job.objects.filter(status="queued").update(status="succeeded")
        job_start(kind="retier", actor=supervisor)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/supervision/jobs/")
    assert response.status_code == 200 and len(many) == len(few)


def test_only_central_supervisors_start_jobs_and_others_change_nothing(supervisor, supervisor_gd, provider_a):
    response = web_as(supervisor_gd).post("/supervision/jobs/start/", {"kind": "retier"})
    assert response.status_code == 403 and not Job.objects.exists()
    assert web_as(provider_a).get("/supervision/jobs/").status_code == 404
    assert web_as(None).post("/supervision/jobs/start/", {"kind": "retier"}).status_code in (302, 404)
    assert not Job.objects.exists()
    response = web_as(supervisor).post("/supervision/jobs/start/", {"kind": "retier"})
    assert response.status_code == 302 and Job.objects.get().kind == "retier"


def test_the_admin_lists_jobs_reminders_intervals_and_reassessments(sysadmin):
    job_start(kind="retier")
    client = web_as(sysadmin)
    for path in ("supervision/job", "supervision/reminder", "supervision/reassessmentinterval", "filings/reassessment"):
        assert client.get(f"/admin/{path}/").status_code == 200, path


def test_a_worker_whose_lease_was_taken_over_can_no_longer_write(django_capture_on_commit_callbacks):
    # given a job claimed by worker A, whose lease then ran out, and taken over by worker B
    job = job_start(kind="retier")
    token_a = jobs._claim(job.pk)
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    token_b = jobs._claim(job.pk)
    assert (token_a, token_b) == (1, 2)
    assert token_a is not None and token_b is not None
    # when A reports progress or finishes
    with pytest.raises(jobs.JobLost):
        jobs.Progress(job.pk, token_a)(done=5)
    assert jobs._finish(job.pk, token_a, "succeeded", result={"from": "A"}) is False
    # then nothing of A's is written; B still holds the job
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.result) == ("running", 2, 0, {})
    assert jobs._finish(job.pk, token_b, "succeeded", result={"from": "B"}) is True


def test_a_run_that_loses_its_job_midway_stops_without_finishing_it():
    job = job_start(kind="reassessment")

    def taken_over(params: dict, progress: jobs.Progress) -> dict:
        Job.objects.filter(pk=job.pk).update(attempts=9)  # another worker claimed it meanwhile
        progress(done=1)
        return {"never": "written"}

    with mock.patch.object(jobs, "_runners", return_value={"reassessment": taken_over}):
        assert job_run(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.status == "running" and job.result == {}
