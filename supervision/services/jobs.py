"""Long jobs: one row per run, claimed by one worker at a time, with progress for the progress bar.

``job_start`` is idempotent per kind (a second request joins the active job). ``job_run`` claims the
row with a compare-and-set and a lease; the work reports progress, which also renews the lease. A
worker killed mid-job leaves the lease to expire; ``job_sweep`` hands the job to another worker, which
resumes it: the work is chunked and each chunk writes only what still differs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.services.audit import audit_record
from supervision.models import ACTIVE_JOB_STATUSES, Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5


class Progress:
    """What a job's work calls after each chunk: records progress and renews the lease."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def __call__(self, *, done: int, total: int | None = None) -> None:
        updates: dict[str, Any] = {"done": done, "lease_until": timezone.now() + LEASE}
        if total is not None:
            updates["total"] = total
        Job.objects.filter(id=self.job_id, status=JobStatus.RUNNING).update(**updates)


ProgressCallback = Callable[..., None]


def _runners() -> dict[str, Callable[[dict[str, Any], ProgressCallback], dict[str, Any]]]:
    from supervision.services.reassessment import reassessment_job
    from supervision.services.retiering import retier_job

    return {JobKind.RETIER: retier_job, JobKind.REASSESSMENT: reassessment_job}


def job_start(*, kind: str, params: dict[str, Any] | None = None, actor: User | None = None) -> Job:
    """Queue a job of ``kind`` and dispatch it after commit; an active job of that kind is returned instead."""
    from supervision.tasks import job_run_task

    if kind not in JobKind.values:
        raise ValueError(f"unknown job kind {kind!r}")
    active = Job.objects.filter(kind=kind, status__in=ACTIVE_JOB_STATUSES).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, params=params or {}, created_by=actor)
            audit_record(
                action="job.started", subject_type="job", subject_id=job.pk, actor=actor, payload={"kind": kind}
            )
    except IntegrityError:  # another request started one between our check and insert
        return Job.objects.get(kind=kind, status__in=ACTIVE_JOB_STATUSES)
    transaction.on_commit(lambda: job_run_task.delay(job.pk), robust=True)
    return job


def _claim(job_id: int) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(id=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now))
        .update(
            status=JobStatus.RUNNING,
            lease_until=now + LEASE,
            attempts=F("attempts") + 1,
            started_at=now,
        )
    )


def job_run(*, job_id: int) -> bool:
    """Run a job if this worker wins the claim. Returns whether it ran."""
    if not _claim(job_id):
        return False
    job = Job.objects.get(id=job_id)
    if job.attempts > MAX_ATTEMPTS:
        _finish(job_id, JobStatus.FAILED, error="gave up after repeated interruptions")
        return False
    try:
        result = _runners()[job.kind](job.params, Progress(job_id))
    except (OperationalError, InterfaceError):
        # The database went away: back to the queue; the sweeper dispatches it again.
        Job.objects.filter(id=job_id).update(status=JobStatus.QUEUED, lease_until=None)
        raise
    except Exception as exc:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000])
        raise
    _finish(job_id, JobStatus.SUCCEEDED, result=result)
    return True


def _finish(job_id: int, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    updates: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "lease_until": None, "error": error}
    if result is not None:
        updates["result"] = result
    if status == JobStatus.SUCCEEDED:
        updates["done"] = Coalesce(F("total"), F("done"))
    Job.objects.filter(id=job_id).update(**updates)


def job_sweep(*, queued_for: timedelta = timedelta(minutes=1)) -> int:
    """Re-dispatch jobs whose dispatch was lost (broker down) or whose worker died (lease expired)."""
    from supervision.tasks import job_run_task

    now = timezone.now()
    stuck = Job.objects.filter(
        Q(status=JobStatus.QUEUED, created_at__lt=now - queued_for) | Q(status=JobStatus.RUNNING, lease_until__lt=now)
    ).values_list("id", flat=True)
    ids = list(stuck)
    for job_id in ids:
        job_run_task.delay(job_id)
    return len(ids)
