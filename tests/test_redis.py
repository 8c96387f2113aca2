"""The Celery path for real: a worker consuming from Redis (skipped without Redis, required in CI)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.models import Notification
from config.celery import app
from tests.conftest import port_open, skip_or_fail
from tests.factories import add_documents, make_draft, make_user

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_broker() -> Iterator[str]:
    if not port_open("127.0.0.1", 6379):
        skip_or_fail("Redis is not reachable at 127.0.0.1:6379 (apt-get install redis-server)")
    with _broker(REDIS_URL):
        redis.Redis.from_url(REDIS_URL).flushdb()
        yield REDIS_URL


@contextmanager
def _broker(url: str) -> Iterator[None]:
    old = app.conf.broker_url
    app.conf.update(broker_url=url, broker_transport_options={"visibility_timeout": 30})
    _drop_pools()
    try:
        yield
    finally:
        app.conf.update(broker_url=old, broker_transport_options={})
        _drop_pools()


def _drop_pools() -> None:
    """Forget connection pools bound to the previous broker (Celery caches them on first use)."""
    setattr(app, "_pool", None)  # noqa: B010 - private attribute of Celery
    setattr(app.amqp, "_producer_pool", None)  # noqa: B010


def _wait_for(predicate, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_submission_notification_is_delivered_by_a_worker_through_redis(redis_broker, reference_data):
    # given a provider ready to submit
    user = make_user()
    org = make_draft(user)
    add_documents(org, user)
    from accounts.services.organizations import organization_submit

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # when it submits (the e-mail task is sent to Redis after commit)
        organization_submit(organization_id=org.pk, actor=user)
        # then a worker delivers it exactly once
        assert _wait_for(lambda: Notification.objects.filter(recipient=user, sent_at__isnull=False).exists())
    assert len([m for m in mail.outbox if m.to == [user.email]]) == 1


def test_healthz_reports_a_reachable_redis(redis_broker, client, reference_data):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
