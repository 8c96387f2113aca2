"""Filing numbers (备案编号): 网信算备 + division (6) + entity ID (7) + category (2) + year (2)
+ serial (3) + check digit (1) + 号.

The layout and the check rule are reverse-engineered from published numbers (regulation.md §2.5):
they reproduce 193 of 195 real numbers, so validation is soft: a known number with a wrong check
digit is still answered, and ``check_digit_ok`` only reports.
"""

from __future__ import annotations

import re

PREFIX = "网信算备"
SUFFIX = "号"
NUMBER_RE = re.compile(rf"^{PREFIX}(\d{{21}}){SUFFIX}$")

# Category codes: the Art. 2 types, with retrieval (04) and filtering (05) told apart.
CATEGORY_CODES = {
    "generation_synthesis": "01",
    "personalized_push": "02",
    "sorting_selection": "03",
    "retrieval": "04",
    "filtering": "05",
    "scheduling_decision": "06",
}


def category_code(algorithm_type: str, filtering: bool | None) -> str:
    if algorithm_type == "retrieval_filtering":
        return CATEGORY_CODES["filtering" if filtering else "retrieval"]
    return CATEGORY_CODES.get(algorithm_type, "")


def check_digit(first20: str) -> str:
    """S = Σ dᵢ·2^(19−i) mod 5; x = (−S) mod 5; check = 2x + 1 (always odd)."""
    if not re.fullmatch(r"\d{20}", first20):
        raise ValueError("need the first 20 digits")
    total = sum(int(d) * pow(2, 19 - i, 5) for i, d in enumerate(first20)) % 5
    return str(2 * ((-total) % 5) + 1)


def compose(*, division: str, entity_id: str, category: str, year: int, serial: int) -> str:
    digits = f"{division}{entity_id}{category}{year % 100:02d}{serial:03d}"
    if len(digits) != 20:
        raise ValueError(f"malformed number parts: {digits!r}")
    return f"{PREFIX}{digits}{check_digit(digits)}{SUFFIX}"


def parse(number: str) -> str | None:
    """The 21 digits of a well-formed number, or None."""
    match = NUMBER_RE.match((number or "").strip())
    return match.group(1) if match else None


def check_digit_ok(number: str) -> bool:
    digits = parse(number)
    return digits is not None and check_digit(digits[:20]) == digits[20]


def serial_prefix(*, division: str, entity_id: str, category: str, year: int) -> str:
    """What every number of one (entity, category, year) starts with; its serials count within it."""
    return f"{PREFIX}{division}{entity_id}{category}{year % 100:02d}"
