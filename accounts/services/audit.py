from __future__ import annotations

import json
from typing import Any

from accounts.models import AuditEvent, Organization, User

# Personal identifiers never enter the audit log (it is append-only: it could never be cleaned).
FORBIDDEN_PAYLOAD_FRAGMENTS = ("id_number", "password", "token")


def _check_payload(payload: dict[str, Any]) -> None:
    for key, value in payload.items():
        if any(fragment in key for fragment in FORBIDDEN_PAYLOAD_FRAGMENTS):
            raise ValueError(f"audit payload must not contain {key!r}")
        if isinstance(value, dict):
            _check_payload(value)


def audit_record(
    *,
    action: str,
    subject_type: str,
    subject_id: int,
    actor: User | None = None,
    organization: Organization | None = None,
    from_state: str = "",
    to_state: str = "",
    reasons: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction that makes the change it records."""
    payload = payload or {}
    _check_payload(payload)
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        organization=organization,
        from_state=str(from_state),
        to_state=str(to_state),
        reasons=reasons,
        payload=payload,
    )


def audit_record_many(
    *, action: str, subject_type: str, rows: list[tuple[int, int | None, dict[str, Any]]], actor: User | None = None
) -> int:
    """Append one event per ``(subject_id, organization_id, payload)``: for set-based jobs that change
    thousands of subjects in one statement. Same rows and order as ``audit_record`` would write."""
    for _subject, _organization, payload in rows:
        _check_payload(payload)
    events = [
        AuditEvent(
            actor=actor,
            actor_username=actor.get_username() if actor else "",
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            organization_id=organization_id,
            payload=payload,
        )
        for subject_id, organization_id, payload in rows
    ]
    return len(AuditEvent.objects.bulk_create(events, batch_size=2000))


def audit_canonical(event: AuditEvent) -> str:
    """The canonical serialisation a hash chain covers: sorted keys, no spaces, UTC ISO time."""
    body = {
        "id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_username,
        "action": event.action,
        "subject": [event.subject_type, event.subject_id],
        "organization": event.organization_id,
        "from": event.from_state,
        "to": event.to_state,
        "reasons": event.reasons,
        "payload": event.payload,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
