from __future__ import annotations

from typing import Any

from django import template

from accounts import audit_labels
from accounts.models import OrganizationChange
from accounts.services.changes import masked_change_values
from accounts.services.organization_fields import item_label

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def change_rows(change: OrganizationChange) -> list[dict[str, Any]]:
    """Before and after of each changed field, ID numbers masked."""
    before = masked_change_values(change.previous)
    after = masked_change_values(change.proposed)
    return [{"label": item_label(field), "before": before.get(field), "after": value} for field, value in after.items()]


@register.filter
def action_label(action: str) -> str:
    return audit_labels.action_label(action)


@register.simple_tag
def status_class(status: str) -> str:
    """Bootstrap badge colour for a status."""
    return {
        "draft": "text-bg-secondary",
        "submitted": "text-bg-primary",
        "open": "text-bg-primary",
        "claimed": "text-bg-info",
        "returned": "text-bg-warning",
        "approved": "text-bg-success",
        "decided": "text-bg-success",
        "rejected": "text-bg-danger",
        "withdrawn": "text-bg-light",
        "closed": "text-bg-light",
    }.get(status, "text-bg-secondary")
