"""Celery entry points: they take ids and call services (imported lazily to avoid import cycles)."""

from __future__ import annotations

from celery import shared_task

from accounts.services.notifications import MAX_ATTEMPTS, DeliveryTemporarilyFailed


@shared_task(
    name="accounts.notification_deliver",
    autoretry_for=(DeliveryTemporarilyFailed,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=MAX_ATTEMPTS,
)
def notification_deliver_task(notification_id: int) -> None:
    from accounts.services.notifications import notification_deliver

    notification_deliver(notification_id=notification_id)


@shared_task(name="accounts.notification_sweep")
def notification_sweep_task() -> None:
    from accounts.services.notifications import notification_sweep

    notification_sweep()


@shared_task(name="accounts.rate_counters_prune")
def rate_counters_prune_task() -> int:
    from accounts.services.ratelimit import rate_counters_prune

    return rate_counters_prune()
