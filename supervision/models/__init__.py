from supervision.models.jobs import ACTIVE_JOB_STATUSES, Job, JobKind, JobStatus
from supervision.models.notices import Notice, NoticeKind
from supervision.models.policy import ConflictOfInterest, ReassessmentInterval, StageDefinition, TierPolicy
from supervision.models.reminders import Reminder
from supervision.models.stats import FilingCount, StatsSnapshot
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
    "ACTIVE_JOB_STATUSES",
    "ACTIVE_STATUSES",
    "ConflictOfInterest",
    "Decision",
    "FilingCount",
    "Job",
    "JobKind",
    "JobStatus",
    "Notice",
    "NoticeKind",
    "ReassessmentInterval",
    "Reminder",
    "ReviewTask",
    "Stage",
    "StageDefinition",
    "StatsSnapshot",
    "SubjectType",
    "TaskStatus",
    "TaskVote",
    "TierPolicy",
]
