"""Celery entry points of supervision: thin, idempotent sweeps over database state."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="supervision.correction_overdue_sweep")
def correction_overdue_sweep_task() -> int:
    from supervision.services.corrections import correction_overdue_sweep

    return correction_overdue_sweep()
