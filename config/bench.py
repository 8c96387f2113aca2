"""`make bench`: time the background jobs on generated data, in a database of their own.

Creates ``<name>_bench`` beside the configured database (``DATABASE_URL``, or the embedded server's
``postgres``), migrates it and runs ``manage.py bench`` there, so development data is never touched.

    python -m config.bench [reminders] [retier] [--filings N] [--reminders N]
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote, urlsplit, urlunsplit

from config.env import BASE_DIR, env


def _server_url() -> str:
    url = env.str("DATABASE_URL", default="")
    if url:
        return url
    from config import pg

    return f"postgres://postgres@{quote(pg.ensure_server(), safe='')}/postgres"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _ensure_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _conninfo(url: str) -> str:
    """psycopg reads socket directories percent-encoded in the host part of a URL as well."""
    return url.replace("postgres://", "postgresql://", 1)


def main(argv: list[str]) -> int:
    server = _server_url()
    name = (urlsplit(server).path.lstrip("/") or "postgres") + "_bench"
    _ensure_database(server, name)
    child_env = {**os.environ, "DATABASE_URL": _with_database(server, name), "DJANGO_DEBUG": "false"}
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=child_env, check=True)
    return subprocess.run([*manage, "bench", *argv], env=child_env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
