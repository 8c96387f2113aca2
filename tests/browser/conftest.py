"""Playwright drives Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from tests.conftest import skip_or_fail

# pytest-playwright's session fixtures run an asyncio loop; Django must allow sync ORM calls in the
# test process (only here, never in settings).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed: run `apt-get install chromium fonts-noto-cjk` (Debian)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # An English browser: the site must still answer in Chinese until the user switches.
    return {**browser_context_args, "locale": "en-US"}
