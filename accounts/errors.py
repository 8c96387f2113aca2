"""Errors raised by services. Web views and the API map them to messages and status codes."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A refused business action; ``message`` is shown to the user as it is (already translated)."""

    status_code = 400

    def __init__(self, message: str | Promise, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    """Input that cannot be accepted, with every problem listed by field (``non_field_errors`` otherwise)."""

    def __init__(self, errors: dict[str, list[str]], message: str | Promise = "") -> None:
        super().__init__(message or "; ".join(m for msgs in errors.values() for m in msgs))
        self.errors = errors


class ActionForbidden(ApplicationError):
    """The user may see the object but may not do this to it."""

    status_code = 403


class Conflict(ApplicationError):
    """The object is not in a state that allows this (or someone else acted first)."""

    status_code = 409


class StaleVersion(Conflict):
    """The object changed since the caller read it (optimistic check)."""
