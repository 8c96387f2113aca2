"""``Idempotency-Key`` on provider POSTs: a retry returns the first result instead of a duplicate."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import api_user
from accounts.models import IdempotencyKey

V = TypeVar("V", bound=Callable[..., Response])


def idempotent(view_method: V) -> V:
    @wraps(view_method)
    def wrapper(self: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view_method(self, request, *args, **kwargs)
        if len(key) > 255:
            return Response({"Idempotency-Key": [_("At most 255 characters.")]}, status=400)
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=api_user(request), key=key, method=request.method or "", path=request.path
                )
        except IntegrityError:
            return _replay(request, key)
        try:
            response = view_method(self, request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        if 200 <= response.status_code < 300:
            record.status_code = response.status_code
            record.response = response.data
            record.save(update_fields=["status_code", "response"])
        else:
            # Only a success is remembered: after an error the client may fix the request and retry.
            record.delete()
        return response

    return wrapper  # type: ignore[return-value]


def _replay(request: Request, key: str) -> Response:
    record = IdempotencyKey.objects.get(user=api_user(request), key=key)
    if record.path != request.path or record.method != request.method:
        return Response({"detail": _("This Idempotency-Key was already used for a different request.")}, status=409)
    if record.status_code is None:
        return Response({"detail": _("A request with this Idempotency-Key is still being processed.")}, status=409)
    return Response(record.response, status=record.status_code)
