"""State machines as data: statuses and the transitions between them, readable without a database.

The models declare their django-fsm-2 transitions from these tables, and services name the
transition they perform, so this file is the one place to read what may follow what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str


_O = OrganizationStatus
ORGANIZATION_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(sources=(_O.DRAFT, _O.RETURNED), target=_O.SUBMITTED),
    "approve": Transition(sources=(_O.SUBMITTED,), target=_O.APPROVED),
    "return_for_correction": Transition(sources=(_O.SUBMITTED,), target=_O.RETURNED),
}
# A provider may edit its organisation only in these states; after approval, changes are filed.
ORGANIZATION_EDITABLE = frozenset({_O.DRAFT, _O.RETURNED})

_C = ChangeStatus
CHANGE_TRANSITIONS: dict[str, Transition] = {
    "resubmit": Transition(sources=(_C.RETURNED,), target=_C.SUBMITTED),
    "approve": Transition(sources=(_C.SUBMITTED,), target=_C.APPROVED),
    "return_for_correction": Transition(sources=(_C.SUBMITTED,), target=_C.RETURNED),
    "reject": Transition(sources=(_C.SUBMITTED,), target=_C.REJECTED),
    "withdraw": Transition(sources=(_C.SUBMITTED, _C.RETURNED), target=_C.WITHDRAWN),
}
CHANGE_OPEN = frozenset({_C.SUBMITTED, _C.RETURNED})
