from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import is_provider, is_regulator, is_reviewer, is_supervisor, is_sysadmin


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which navigation entries the user gets; role lookups are cached on the user object."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"anonymous": True}}
    from accounts.models import Notification

    return {
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "nav": {
            "anonymous": False,
            "provider": is_provider(user) or (user.organization_id is None and user.office_id is None),
            "reviewer": is_reviewer(user),
            "supervisor": is_supervisor(user),
            "regulator": is_regulator(user),
            "sysadmin": is_sysadmin(user),
        },
    }
