from filings.models.calendar import CalendarOverride, CalendarYear
from filings.models.filings import (
    Filing,
    FilingAttachment,
    FilingCancellation,
    FilingVersion,
    FilingVersionPurpose,
)
from filings.models.objections import Objection, ObjectionStatus
from filings.models.permissions import FilingGroupObjectPermission, FilingUserObjectPermission
from filings.models.publication import (
    BatchEntry,
    BatchStatus,
    CancellationNotice,
    CancellationNoticeEntry,
    PublicationBatch,
    PublicListing,
    PublicSeries,
    PublicState,
)
from filings.models.reassessments import Reassessment
from filings.workflow import FilingStatus, VersionStatus

__all__ = [
    "BatchEntry",
    "BatchStatus",
    "CalendarOverride",
    "CalendarYear",
    "CancellationNotice",
    "CancellationNoticeEntry",
    "Filing",
    "FilingAttachment",
    "FilingCancellation",
    "FilingGroupObjectPermission",
    "FilingStatus",
    "FilingUserObjectPermission",
    "FilingVersion",
    "FilingVersionPurpose",
    "Objection",
    "ObjectionStatus",
    "PublicListing",
    "PublicSeries",
    "PublicState",
    "PublicationBatch",
    "Reassessment",
    "VersionStatus",
]
