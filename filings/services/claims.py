"""Filings' part in claiming an imported entity (accounts.services.claims): whether a number was
published for the entity, and the registration's filing drafts moving with it once approved."""

from __future__ import annotations

from typing import Any

from accounts import signals
from accounts.models import Organization
from accounts.services.claims import register_number_check
from filings.models import Filing


def number_published_for(number: str, entity: Organization) -> bool:
    """The claim's number is one of the entity's filings (imported from CAC's lists)."""
    return Filing.objects.filter(filing_number=number, organization=entity).exists()


def on_organization_merged(sender: Any, *, registration: Organization, claimed: Organization, **kwargs: Any) -> None:
    """Drafts begun under the registration belong to the entity now (one UPDATE; the rollup's
    statement trigger moves their counts to the entity's province)."""
    Filing.objects.filter(organization=registration).update(organization=claimed, province_code=claimed.province_code)


def connect() -> None:
    register_number_check(number_published_for)
    signals.organization_merged.connect(on_organization_merged, dispatch_uid="filings.on_organization_merged")
