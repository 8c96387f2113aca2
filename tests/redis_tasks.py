"""A task only the Redis reliability tests load into a worker subprocess (``celery worker -I``).

It pauses on its first run so the test can SIGKILL the worker mid-task, then does the real work
(delivering a notification through the service), logging each start and completion to a file.
"""

from __future__ import annotations

import time
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.deliver_after_pause")  # acknowledgement as configured: late
def deliver_after_pause(notification_id: int, log: str) -> bool:
    from accounts.services.notifications import notification_deliver

    path = Path(log)
    first = not path.exists()
    with path.open("a") as out:
        out.write("start\n")
    if first:
        time.sleep(120)  # the test kills the worker here
    delivered = notification_deliver(notification_id=notification_id)
    with path.open("a") as out:
        out.write(f"done {delivered}\n")
    return delivered
