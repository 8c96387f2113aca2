"""The organisation's row lock, taken first by every service that changes something of an
organisation (its details, changes, filings, review tasks): one order everywhere, so no deadlocks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import Conflict
from accounts.models import Organization


def lock_organization(organization_id: int) -> Organization:
    """Lock an organisation's row. Every service that changes something of an organisation (its
    changes, filings, review tasks) takes this lock first: one order everywhere, so no deadlocks."""
    try:
        return (
            Organization.objects.select_for_update(no_key=True, of=("self",))
            .select_related("office")
            .get(id=organization_id)
        )
    except Organization.DoesNotExist:
        raise Conflict(_("This organisation no longer exists.")) from None
