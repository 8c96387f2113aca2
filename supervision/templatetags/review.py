"""Template tags for project-level templates that show review data beside a filing."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import QuerySet

from accounts.roles import is_reviewer
from filings.models import Filing
from filings.workflow import FILED_STATUSES
from supervision.models import Notice

register = template.Library()


@register.simple_tag
def filing_notices(filing: Filing) -> QuerySet[Notice]:
    return Notice.objects.filter(filing=filing).order_by("issued_at")


@register.simple_tag
def can_end_filing(user: Any, filing: Filing) -> bool:
    """Reviewers of the responsible office (or the central office) may revoke or cancel it."""
    office = getattr(user, "office", None)
    if not is_reviewer(user) or office is None or filing.status not in FILED_STATUSES:
        return False
    return bool(office.is_central or office.province_code == filing.province_code)
