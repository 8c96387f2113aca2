"""Publication (公示): a filed algorithm becomes part of the public list. Batches build on this."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import ActionForbidden, Conflict
from accounts.models import User
from accounts.roles import is_central_supervisor
from filings.models import Filing
from filings.services.common import audit, lock_filing
from filings.services.listing import listing_publish
from filings.workflow import FilingStatus


def filing_publish(*, filing_id: int, actor: User) -> Filing:
    """Only supervisors of the central office publish."""
    if not is_central_supervisor(actor):
        raise ActionForbidden(_("Only supervisors of the central office publish filings."))
    with transaction.atomic():
        filing = lock_filing(filing_id)
        if filing.status != FilingStatus.APPROVED:
            raise Conflict(_("Only a filed, unpublished algorithm can be published."))
        filing.publish()
        filing.version += 1
        filing.save()
        listing_publish(filing=filing)
        audit(filing, "filing.published", actor, FilingStatus.APPROVED)
    return filing
