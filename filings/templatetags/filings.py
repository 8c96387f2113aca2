from __future__ import annotations

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from filings.models import Filing

register = template.Library()


def _day(value: datetime.date | None) -> str:
    return date_format(value, "Y-m-d") if value else "—"


@register.simple_tag
def filing_next_step(filing: Filing) -> str:
    """What is expected next, and of whom, from the filing's status alone (no extra query)."""
    status = filing.status
    if status == "draft":
        if filing.filing_due:
            return _("Complete and submit the filing (due %(due)s).") % {"due": _day(filing.filing_due)}
        return _("Complete and submit the filing within 10 working days of the launch.")
    if status in ("submitted", "in_review"):
        return _("The office decides by %(due)s.") % {"due": _day(filing.decision_due)}
    if status == "returned":
        return _("Correct the items returned and submit again.")
    if status in ("approved", "published"):
        return _("Show the filing number on the service; file any change within 10 working days.")
    return _("Nothing: the filing has ended.")
