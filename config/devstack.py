"""`make run`: migrate, load demo data, then run web + Celery worker + beat until Ctrl-C.

Each child runs in its own process group, so Ctrl-C reaches only this supervisor, which then
stops every child (SIGTERM, a grace period, then SIGKILL) and the embedded PostgreSQL it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType

from config import pg
from config.env import BASE_DIR, env

ADDRESS = env.str("BEIAN_RUN_ADDRESS", default="127.0.0.1:8000")
GRACE_SECONDS = 20
DEMO_ACCOUNTS = (
    ("provider_bj", "provider_admin", "Beijing (Haidian 110108), approved organisation"),
    ("provider_bj_member", "provider_member", "Beijing organisation, member"),
    ("provider_gd", "provider_admin", "Guangdong (Shenzhen Nanshan 440305), approved organisation"),
    ("provider_sub", "provider_admin", "Beijing, organisation under review"),
    ("provider_ret", "provider_admin", "Guangdong, organisation returned for correction"),
    ("provider_draft", "provider_admin", "Shanghai, draft organisation"),
    ("reviewer_bj / reviewer_bj2", "reviewer", "Beijing office"),
    ("reviewer_gd / reviewer_gd2", "reviewer", "Guangdong office"),
    ("central_1 / central_2 / central_3", "senior_reviewer", "central office"),
    ("supervisor", "supervisor", "central office (whole country)"),
    ("supervisor_gd", "supervisor", "Guangdong office"),
    ("admin", "sysadmin", "Django admin at /admin/"),
)

_stop = False


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _stop
    _stop = True


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, cwd=BASE_DIR)


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=BASE_DIR, start_new_session=True)


def _say(message: str) -> None:
    # stdout may be closed (e.g. `make run | tee` interrupted): then there is nobody to tell.
    with contextlib.suppress(OSError):
        print(message, flush=True)


def _wait_until_serving(seconds: float = 30.0) -> None:
    """Print the banner once the web server answers, after the start-up noise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not _stop:
        try:
            with urllib.request.urlopen(f"http://{ADDRESS}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers (503 means the broker is not up yet; the banner is still useful)
        except OSError:
            time.sleep(0.5)


def _banner() -> None:
    password = env.str("DEMO_PASSWORD", default="beian-demo-2026")
    lines = [
        "",
        f"  Beian is running on http://{ADDRESS}/   (API docs: http://{ADDRESS}/api/v1/docs/)",
        f"  Demo logins (password: {password}):",
        *(f"    {user:<36} {role:<16} {where}" for user, role, where in DEMO_ACCOUNTS),
        "  E-mails are printed by the Celery worker. Press Ctrl-C to stop everything.",
        "",
    ]
    _say("\n".join(lines))


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is not None:
            continue
        if child is children[0]:
            # runserver's autoreloader and its server child: stop the whole group.
            os.killpg(child.pid, signal.SIGTERM)
        else:
            # Celery's main process stops its pool itself (warm shutdown); signalling the pool
            # children directly would be logged as a crash.
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    started_database = False
    if not env.str("DATABASE_URL", default=""):
        started_database = not pg.is_running()
        pg.ensure_server()
    Path(BASE_DIR / "var").mkdir(exist_ok=True)
    _manage("migrate", "--noinput")
    # The lists CAC has already published come first (as for a regulator adopting Beian: its own
    # batches continue the numbering); idempotent, so a restart writes nothing.
    _manage("import_published_lists", "--quiet-problems")
    _manage("seed_demo")
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    children = [
        _spawn([sys.executable, str(BASE_DIR / "manage.py"), "runserver", ADDRESS]),
        _spawn([*celery, "worker", "--loglevel=INFO", "--concurrency=2"]),
        _spawn([*celery, "beat", "--loglevel=INFO"]),
    ]
    _wait_until_serving()
    _banner()
    try:
        while not _stop and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        # Stop first, talk after: the terminal or a pipe may already be gone.
        _stop_all(children)
        if started_database:
            pg.stop()
        _say("Stopped web, worker and beat" + (" and the embedded PostgreSQL." if started_database else "."))
    failed = [child.args for child in children if child.returncode not in (0, -signal.SIGTERM, None) and not _stop]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
