"""The Celery path for real: a worker consuming from Redis (skipped without Redis, required in CI)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection

from accounts.models import Notification
from accounts.services.notifications import notification_sweep, notify
from config.celery import app
from filings.models import Filing
from supervision.models import Reminder
from tests.conftest import port_open, skip_or_fail
from tests.factories import add_documents, make_draft, make_filing_draft, make_user

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


def test_the_same_delivery_task_delivered_twice_sends_one_email(redis_broker, reference_data):
    # given one notification
    user = make_user()
    (row,) = notify(recipients=[user], subject="Subject", body="Body", dispatch=False)
    from accounts.tasks import notification_deliver_task

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # when its delivery task reaches the worker twice (a duplicate delivery)
        notification_deliver_task.delay(row.pk)
        notification_deliver_task.delay(row.pk)
        assert _wait_for(lambda: Notification.objects.filter(pk=row.pk, sent_at__isnull=False).exists())
        time.sleep(1)  # let the duplicate run too
    # then exactly one e-mail went out, with the notification's Message-ID
    sent = [m for m in mail.outbox if m.to == [user.email]]
    assert len(sent) == 1 and sent[0].extra_headers["Message-ID"] == row.message_id


def test_two_workers_running_the_reminder_sweep_at_once_send_each_reminder_once(redis_broker, reference_data):
    # given three drafts due tomorrow (or today, whichever is a working day)
    user = make_user()
    from tests.factories import make_approved

    make_approved(user)
    from filings.workdays import WorkCalendar

    calendar = WorkCalendar.load()
    today = calendar.next_workday(datetime.date.today()).value
    for n in range(3):
        draft = make_filing_draft(user, name=f"Due {n}")
        Filing.objects.filter(pk=draft.pk).update(filing_due=calendar.add(today, 1).value)
    from supervision.tasks import reminder_sweep_task

    # when two worker threads take the sweep at the same time
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=20):
        reminder_sweep_task.delay(today.isoformat())
        reminder_sweep_task.delay(today.isoformat())
        assert _wait_for(lambda: Reminder.objects.count() == 3)
        time.sleep(2)  # both have run
    # then each reminder exists once and the provider got one digest
    # (the advisory lock makes the second wait for the first; tests/supervision/test_reminders.py starts
    # two sweeps at the same instant with a barrier)
    assert Reminder.objects.count() == 3 and len({r.notification_id for r in Reminder.objects.all()}) == 1
    assert Notification.objects.filter(recipient=user, link="/notifications/").count() == 1


def test_a_submission_while_the_broker_is_down_is_saved_and_notified_when_it_returns(redis_broker, reference_data):
    # given a provider ready to submit, and a broker that cannot be reached
    user = make_user()
    org = make_draft(user)
    add_documents(org, user)
    from accounts.services.organizations import organization_submit

    with _broker("redis://127.0.0.1:1/0"):
        # when it submits
        started = time.monotonic()
        organization_submit(organization_id=org.pk, actor=user)
        waited = time.monotonic() - started
    # then the submission stands and its notification waits in the outbox
    org.refresh_from_db()
    assert org.status == "submitted" and waited < 10  # publishing gives up quickly, the request does not hang
    waiting = Notification.objects.filter(recipient=user, sent_at__isnull=True)
    assert waiting.exists()
    # and once the broker is back, the sweeper re-enqueues it and a worker delivers it exactly once
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert notification_sweep(older_than=datetime.timedelta(0)) >= 1
        assert _wait_for(lambda: not Notification.objects.filter(recipient=user, sent_at__isnull=True).exists())
    assert len([m for m in mail.outbox if m.to == [user.email]]) == Notification.objects.filter(recipient=user).count()


def _database_url() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def _worker(tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-I", "tests.redis_tasks"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h", "-l", "INFO"]
    out = (tmp_path / f"{name}.out").open("wb")
    return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR)


def test_a_worker_killed_mid_task_has_its_task_redelivered_and_completed_once(redis_broker, reference_data, tmp_path):
    # given a notification whose delivery task a worker (a separate process) has started
    user = make_user()
    (row,) = notify(recipients=[user], subject="Kill test", body="Body", dispatch=False)
    log = tmp_path / "runs.log"
    from tests.redis_tasks import deliver_after_pause

    first = _worker(tmp_path, "first")
    try:
        deliver_after_pause.delay(row.pk, str(log))
        assert _wait_for(lambda: log.exists(), seconds=60), (tmp_path / "first.out").read_text()
        # when the worker is killed outright in the middle of it
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        # then, once the visibility timeout (3 s here) has passed, the next worker to start gets the
        # unacknowledged task again (late acknowledgement) and completes it once
        time.sleep(4)
        second = _worker(tmp_path, "second")
        try:
            assert _wait_for(lambda: "done" in log.read_text(), seconds=60), (tmp_path / "second.out").read_text()
        finally:
            second.terminate()
            second.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
    assert log.read_text().splitlines() == ["start", "start", "done True"]
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1
    printed = (tmp_path / "first.out").read_text() + (tmp_path / "second.out").read_text()
    assert printed.count(row.message_id) == 1


def test_workers_acknowledge_late_requeue_on_worker_loss_and_prefetch_one():
    # the reliability above rests on these (config/settings/base.py), for every task
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
