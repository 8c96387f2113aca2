"""Long jobs: one row per run, claimed by one worker at a time, with progress for the progress bar.

``job_start`` is idempotent per kind (a second request joins the active job). ``job_run`` claims the
row with a compare-and-set and a lease; the work reports progress, which also renews the lease. A
worker killed mid-job leaves the lease to expire; ``job_sweep`` hands the job to another worker, which
runs it again from the start: the work is chunked and each chunk writes only what still differs, so
the chunks already done cost a read and write nothing. Each claim increments ``attempts``, which
fences every later write of the run that holds it.
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

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


class JobLost(Exception):
    """Another worker holds the job now (this one's lease ran out): stop without touching it."""


class Progress:
    """What a job's work calls after each chunk and long step: records progress, renews the lease.

    Every update is fenced by the claim's ``attempts`` value, so a worker whose lease expired and was
    taken over can no longer write progress or a result; it learns so here and stops.
    """

    def __init__(self, job_id: int, token: int) -> None:
        self.job_id, self.token = job_id, token

    def __call__(self, *, done: int | None = None, total: int | None = None) -> None:
        updates: dict[str, Any] = {"lease_until": timezone.now() + LEASE}
        if done is not None:
            updates["done"] = done
        if total is not None:
            updates["total"] = total
        if not _mine(self.job_id, self.token).update(**updates):
            raise JobLost(self.job_id)


def _mine(job_id: int, token: int) -> Any:
    return Job.objects.filter(id=job_id, status=JobStatus.RUNNING, attempts=token)


ProgressCallback = Callable[..., None]


def _runners() -> dict[str, Callable[[dict[str, Any], ProgressCallback], dict[str, Any]]]:
    from supervision.exports import export_job
    from supervision.services.reassessment import reassessment_job
    from supervision.services.retiering import retier_job

    return {JobKind.RETIER: retier_job, JobKind.REASSESSMENT: reassessment_job, JobKind.EXPORT: export_job}


def job_start(*, kind: str, params: dict[str, Any] | None = None, actor: User | None = None) -> Job:
    """Queue a job of ``kind`` and dispatch it after commit; an active job of that kind is returned instead."""
    from supervision.tasks import job_run_task

    if kind not in JobKind.values:
        raise ValueError(f"unknown job kind {kind!r}")
    active = None if kind == JobKind.EXPORT else Job.objects.filter(kind=kind, status__in=ACTIVE_JOB_STATUSES).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, params=params or {}, created_by=actor)
            if kind == JobKind.EXPORT:
                job.params = {**job.params, "job_id": job.pk}
                job.save(update_fields=["params"])
            audit_record(
                action="job.started", subject_type="job", subject_id=job.pk, actor=actor, payload={"kind": kind}
            )
    except IntegrityError:  # another request started one between our check and insert
        return Job.objects.get(kind=kind, status__in=ACTIVE_JOB_STATUSES)
    transaction.on_commit(lambda: job_run_task.delay(job.pk), robust=True)
    return job


def _claim(job_id: int) -> int | None:
    """Compare-and-set: take a queued job, or a running one whose lease expired. Returns the fencing token."""
    now = timezone.now()
    current = (
        Job.objects.filter(id=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now))
        .values_list("attempts", flat=True)
        .first()
    )
    if current is None:
        return None
    token = current + 1
    claimed = (
        Job.objects.filter(id=job_id, attempts=current)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now))
        .update(status=JobStatus.RUNNING, lease_until=now + LEASE, attempts=token, started_at=now)
    )
    return token if claimed else None


def job_run(*, job_id: int) -> bool:
    """Run a job if this worker wins the claim. Returns whether it ran to the end."""
    token = _claim(job_id)
    if token is None:
        return False
    job = Job.objects.get(id=job_id)
    if token > MAX_ATTEMPTS:
        _finish(job_id, token, JobStatus.FAILED, error="gave up after repeated interruptions")
        return False
    try:
        result = _runners()[job.kind](job.params, Progress(job_id, token))
    except JobLost:
        logger.warning("job %s was taken over by another worker; this run stops", job_id)
        return False
    except (OperationalError, InterfaceError):
        # The database went away: back to the queue (the task retries; the sweeper dispatches it too).
        _mine(job_id, token).update(status=JobStatus.QUEUED, lease_until=None)
        raise
    except Exception as exc:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, token, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000])
        raise
    return _finish(job_id, token, JobStatus.SUCCEEDED, result=result)


def _finish(job_id: int, token: int, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> bool:
    updates: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "lease_until": None, "error": error}
    if result is not None:
        updates["result"] = result
    if status == JobStatus.SUCCEEDED:
        updates["done"] = Coalesce(F("total"), F("done"))
    return bool(_mine(job_id, token).update(**updates))


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
