from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from accounts.models import User


def api_user(request: Request) -> User:
    """The authenticated user of an API request (views require authentication by default)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user
