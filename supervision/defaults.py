"""This system's default tier policy and review stages (loaded by a migration; editable afterwards).

They are this system's defaults, not an official CAC scheme: the Provisions (Art. 23) name the
factors but publish no tiers. Thresholds for user scale follow the figures in nearby rules
(regulation.md §6.3: 100k and 1M users for assessments, 10M MAU for large platforms).
"""

from __future__ import annotations

import datetime
from typing import Any

DEFAULT_POINTS: dict[str, Any] = {
    "public_opinion": {"yes": 3, "no": 0},
    "content_category": {
        "news": 3,
        "social": 3,
        "audio_video": 2,
        "search": 2,
        "finance": 2,
        "health": 2,
        "education": 2,
        "ecommerce": 1,
        "life_services": 1,
        "games": 1,
        "tools": 0,
        "other": 1,
    },
    # [minimum monthly active users, points], ascending.
    "monthly_active_users": [[0, 0], [100_000, 1], [1_000_000, 2], [10_000_000, 3], [50_000_000, 4]],
    "data_importance": {"general": 0, "important": 3, "core": 6},
    "intervention_level": {"low": 0, "medium": 1, "high": 3},
}
# Minimum points for tiers 2, 3 and 4 (below the first: tier 1).
DEFAULT_THRESHOLDS = [4, 7, 10]
DEFAULT_FLOORS: list[dict[str, Any]] = [
    {"factor": "data_importance", "value": "core", "tier": 4},
    {"factor": "data_importance", "value": "important", "tier": 3},
    {"factor": "monthly_active_users", "min": 50_000_000, "tier": 3},
]

# (tier, order, stage, level, working days, final, senior only, approvals needed). Each tier's stages
# fit inside the statutory 30 working days.
DEFAULT_STAGES: tuple[tuple[int, int, str, str, int, bool, bool, int], ...] = (
    (1, 1, "provincial_review", "provincial", 15, True, False, 1),
    (2, 1, "provincial_review", "provincial", 10, False, False, 1),
    (2, 2, "provincial_decision", "provincial", 10, True, False, 1),
    (3, 1, "provincial_review", "provincial", 12, False, False, 1),
    (3, 2, "central_review", "central", 15, True, True, 1),
    (4, 1, "provincial_review", "provincial", 10, False, False, 1),
    (4, 2, "central_review", "central", 10, False, True, 1),
    (4, 3, "consultation", "central", 8, True, True, 2),
)

# Months between periodic re-assessments per tier (None: not re-assessed periodically).
DEFAULT_REASSESSMENT_MONTHS: dict[int, int | None] = {1: None, 2: 24, 3: 12, 4: 6}


def load_intervals(interval_model: Any) -> None:
    if not interval_model.objects.exists():
        for tier, months in DEFAULT_REASSESSMENT_MONTHS.items():
            interval_model.objects.create(tier=tier, months=months)


def load_defaults(tier_policy_model: Any, stage_model: Any) -> None:
    if not tier_policy_model.objects.exists():
        tier_policy_model.objects.create(
            version=1,
            effective_from=datetime.date(2022, 3, 1),  # the Provisions took effect
            points=DEFAULT_POINTS,
            thresholds=DEFAULT_THRESHOLDS,
            floors=DEFAULT_FLOORS,
            note="Beian default policy (not an official CAC scheme).",
        )
    if not stage_model.objects.exists():
        for tier, order, stage, level, days, final, senior, votes in DEFAULT_STAGES:
            stage_model.objects.create(
                tier=tier,
                order=order,
                stage=stage,
                level=level,
                working_days=days,
                final=final,
                senior_only=senior,
                required_votes=votes,
            )
