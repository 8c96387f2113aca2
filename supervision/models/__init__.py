from supervision.models.notices import Notice, NoticeKind
from supervision.models.policy import ConflictOfInterest, StageDefinition, TierPolicy
from supervision.models.tasks import (
    ACTIVE_STATUSES,
    Decision,
    ReviewTask,
    Stage,
    SubjectType,
    TaskStatus,
    TaskVote,
)

__all__ = [
    "ACTIVE_STATUSES",
    "ConflictOfInterest",
    "Decision",
    "Notice",
    "NoticeKind",
    "ReviewTask",
    "Stage",
    "StageDefinition",
    "SubjectType",
    "TaskStatus",
    "TaskVote",
    "TierPolicy",
]
