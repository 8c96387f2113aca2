from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import User
from accounts.roles import is_regulator, is_supervisor, is_sysadmin


def provider_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages of a provider's own organisation: they do not exist for regulator staff (404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if getattr(user, "office_id", None) is not None or is_regulator(user) or is_sysadmin(user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_or_404(request: HttpRequest) -> User:
    """The signed-in supervisor; anyone else is told the page does not exist."""
    user = request.user
    if not (user.is_authenticated and is_supervisor(user)):
        raise Http404
    assert isinstance(user, User)
    return user
