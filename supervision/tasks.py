"""Celery entry points of supervision: thin, idempotent sweeps over database state."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(name="supervision.correction_overdue_sweep")
def correction_overdue_sweep_task() -> int:
    from supervision.services.corrections import correction_overdue_sweep

    return correction_overdue_sweep()


@shared_task(name="supervision.reminder_sweep")
def reminder_sweep_task(today: str | None = None) -> int:
    """Beat runs it each morning; ``today`` (ISO date) lets an operator rerun a given day."""
    from supervision.services.reminders import reminder_sweep

    day = datetime.date.fromisoformat(today) if today else None
    return reminder_sweep(today=day).reminders


# A job may outlast the default task limits (300 s): a million filings take about 30 s, more take longer.
@shared_task(
    name="supervision.job_run",
    soft_time_limit=3300,
    time_limit=3600,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=5,
)
def job_run_task(job_id: int) -> bool:
    from supervision.services.jobs import job_run

    return job_run(job_id=job_id)


@shared_task(name="supervision.job_sweep")
def job_sweep_task() -> int:
    from supervision.services.jobs import job_sweep

    return job_sweep()


@shared_task(name="supervision.reassessment_sweep")
def reassessment_sweep_task() -> int:
    """Daily: start (or join) the re-assessment job."""
    from supervision.models import JobKind
    from supervision.services.jobs import job_start

    return job_start(kind=JobKind.REASSESSMENT).pk


@shared_task(name="supervision.retier_if_policy_changed")
def retier_if_policy_changed_task() -> int | None:
    """Daily: a policy version that took effect since the last re-tiering starts a re-tiering job."""
    from supervision.services.retiering import retier_if_policy_changed

    job = retier_if_policy_changed()
    return job.pk if job else None


@shared_task(name="supervision.stats_refresh")
def stats_refresh_task() -> int:
    from supervision.stats import stats_refresh

    return stats_refresh()
