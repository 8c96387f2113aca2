from filings.models.calendar import CalendarOverride, CalendarYear
from filings.models.filings import (
    Filing,
    FilingAttachment,
    FilingCancellation,
    FilingVersion,
    FilingVersionPurpose,
)
from filings.models.permissions import FilingGroupObjectPermission, FilingUserObjectPermission
from filings.models.reassessments import Reassessment
from filings.workflow import FilingStatus, VersionStatus

__all__ = [
    "CalendarOverride",
    "CalendarYear",
    "Filing",
    "FilingAttachment",
    "FilingCancellation",
    "FilingGroupObjectPermission",
    "FilingStatus",
    "FilingUserObjectPermission",
    "FilingVersion",
    "FilingVersionPurpose",
    "Reassessment",
    "VersionStatus",
]
