"""Per-client rate limits for what anonymous users may call (search, verification, objections)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from ipware import get_client_ip


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def rate_hit(*, scope: str, client: str, limit: int, per_seconds: int) -> Verdict:
    """Count one request; refuse it when the client already made ``limit`` in this window."""
    now = timezone.now()
    start = math.floor(now.timestamp() / per_seconds) * per_seconds
    window = datetime.datetime.fromtimestamp(start, tz=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO accounts_ratecounter (key, "window", count) VALUES (%s, %s, 1)'
            ' ON CONFLICT (key, "window") DO UPDATE SET count = accounts_ratecounter.count + 1 RETURNING count',
            [f"{scope}:{client}"[:200], window],
        )
        count = int(cursor.fetchone()[0])
    retry_after = max(1, int(start + per_seconds - now.timestamp()))
    return Verdict(count <= limit, retry_after)


def rate_counters_prune(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    from accounts.models import RateCounter

    deleted, _by_model = RateCounter.objects.filter(window__lt=timezone.now() - older_than).delete()
    return deleted


def client_of(request: HttpRequest) -> str:
    # Behind N reverse proxies the client is the N-th address from the right (same setting as axes).
    address, _routable = get_client_ip(request, proxy_count=settings.AXES_IPWARE_PROXY_COUNT or None)
    return address or "unknown"


def rate_limited(scope: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limit a public view per client address; limits per scope are settings (``BEIAN_RATE_LIMITS``)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit, per_seconds = settings.BEIAN_RATE_LIMITS[scope]
            verdict = rate_hit(scope=scope, client=client_of(request), limit=limit, per_seconds=per_seconds)
            if not verdict.allowed:
                return too_many(request, verdict.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _("Too many requests. Please try again in %(seconds)s seconds.") % {"seconds": retry_after}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "retry_after": retry_after}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
