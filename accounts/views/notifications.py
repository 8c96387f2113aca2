"""The in-app notification list (the same rows the outbox e-mails)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Notification, User
from accounts.services.notifications import notification_mark_read

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def notifications_view(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=_user(request)).order_by("-id")
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    context = {"notifications": rows, "next_before": rows[-1].pk if more else None}
    return render(request, "accounts/notifications.html", context)


@login_required
@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("id", "")
    notification_mark_read(user=_user(request), notification_id=int(target) if target.isdigit() else None)
    return redirect("accounts:notifications")
