"""Project-level pages: the home page that sends each role to its start, and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.roles import is_provider, is_reviewer, is_supervisor, is_sysadmin
from config.celery import app as celery_app


def home_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/anonymous.html")
    if is_supervisor(user):
        return redirect("supervision:home")
    if is_reviewer(user):
        return redirect("supervision:queue")
    if is_sysadmin(user):
        return render(request, "home/sysadmin.html")
    if is_provider(user) or user.organization_id is None:
        return redirect("accounts:organization")
    return render(request, "home/anonymous.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
def healthz_view(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability: 200 when both answer, 503 otherwise."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    body = {name: "ok" if ok else "unreachable" for name, ok in checks.items()}
    body["status"] = "ok" if all(checks.values()) else "degraded"
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
