"""Identifiers of the Chinese registries: USCC (GB 32100), division codes (GB/T 2260), ID numbers.

python-stdnum checks the USCC's length, alphabet and check character only; the registration
authority, entity type and region rules below are what it lacks. Each failure names its cause.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from accounts.reference import PROVINCE_CODES

USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")

# GB 32100-2015 table 1: registration authority (digit 1) -> allowed entity-type codes (digit 2).
USCC_AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交
    "3": "1234569",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}
# Entities registered with the national administration carry this region code, which is not a
# GB/T 2260 division but appears on real licences (e.g. central state-owned enterprises).
NATIONAL_REGISTRY_REGION = "100000"

_LOC = numdb.get("cn/loc")
_RETIRED = re.compile(r"^\[(\d{4})?-(\d{4})\]")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


@lru_cache(maxsize=4096)
def division_name(code: str) -> str | None:
    """The current name of a 6-digit GB/T 2260 division, or None if unknown or abolished."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    parts = _LOC.info(code)
    if len(parts) != 2 or not parts[1][1]:
        return None
    province = parts[0][1]["province"]
    raw = parts[1][1]["county"]
    # Entries look like "[1983-1989]南头区办事处,[1990-]南山区"; the last open-ended one is current.
    current = [seg for seg in raw.split(",") if not _RETIRED.match(seg)]
    if not current:
        return None
    name = re.sub(r"^\[\d{4}-\]", "", current[-1])
    if code.endswith("0000"):
        return str(province)
    return f"{province}{name}"


def division_known(code: str) -> bool:
    """Whether the code was ever a GB/T 2260 division (historical codes count: old licences use them)."""
    parts = _LOC.info(code)
    return len(parts) == 2 and bool(parts[1][1])


def validate_uscc(value: str) -> str:
    """Return the normalised USCC or raise a ValidationError naming the cause.

    stdnum's own ``validate`` insists on digits in the first 8 places, which refuses the real
    authority codes A, N and Y, so the checks are composed here from its alphabet and check digit.
    """
    number = uscc.compact(value or "")
    if len(number) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; this one has %(count)d.")
            % {"count": len(number)},
            code="uscc_length",
        )
    bad = sorted({c for c in number if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed: %(chars)s.")
            % {"chars": " ".join(bad)},
            code="uscc_characters",
        )
    _check_uscc_parts(number)
    expected = uscc.calc_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check character (the 18th) of the unified social credit code is wrong: expected %(expected)s.")
            % {"expected": expected},
            code="uscc_check",
        )
    return number


def _check_uscc_parts(number: str) -> None:
    authority, entity_type, region = number[0], number[1], number[2:8]
    allowed = USCC_AUTHORITY_TYPES.get(authority)
    if allowed is None:
        raise ValidationError(
            _("Unknown registration authority code “%(code)s” (the 1st character of the credit code).")
            % {"code": authority},
            code="uscc_authority",
        )
    if entity_type not in allowed:
        raise ValidationError(
            _(
                "Entity type code “%(type)s” does not exist for registration authority “%(authority)s” "
                "(the 2nd character of the credit code)."
            )
            % {"type": entity_type, "authority": authority},
            code="uscc_entity_type",
        )
    if region != NATIONAL_REGISTRY_REGION and not (region.isdigit() and division_known(region)):
        raise ValidationError(
            _("Unknown region code %(region)s (characters 3–8 of the credit code) in GB/T 2260.") % {"region": region},
            code="uscc_region",
        )


def validate_division_code(value: str) -> str:
    """A current county-level (or higher) division of mainland China that has a provincial office."""
    if not re.fullmatch(r"\d{6}", value or ""):
        raise ValidationError(_("The division code must be 6 digits."), code="division_format")
    if division_name(value) is None:
        raise ValidationError(
            _("%(code)s is not a current administrative division code (GB/T 2260).") % {"code": value},
            code="division_unknown",
        )
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("No provincial office of this system covers division %(code)s.") % {"code": value},
            code="division_no_office",
        )
    return value


def validate_id_number(id_type: str, value: str) -> str:
    value = (value or "").strip().upper()
    if "*" in value:
        raise ValidationError(
            _("This is the masked ID number: enter the full number, or leave it out to keep the stored one."),
            code="id_masked",
        )
    if id_type == "resident_id":
        try:
            return str(ric.validate(value))
        except InvalidLength:
            raise ValidationError(_("A resident ID number has 18 characters."), code="id_length") from None
        except InvalidChecksum:
            raise ValidationError(
                _("The check character of this resident ID number is wrong."), code="id_check"
            ) from None
        except (InvalidFormat, InvalidComponent, ValueError):
            raise ValidationError(
                _("This resident ID number is not valid (birth date or region code)."), code="id_invalid"
            ) from None
    if not re.fullmatch(r"[0-9A-Z()（）-]{5,32}", value):
        raise ValidationError(_("An ID number has 5 to 32 letters, digits, hyphens or brackets."), code="id_format")
    return value


def validate_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    if not MOBILE_RE.match(value):
        raise ValidationError(_("Enter an 11-digit mainland China mobile number."), code="mobile")
    return value


def mask_id_number(value: str) -> str:
    """``110101199003071234`` -> ``1101**********1234``: enough to recognise, not to reuse."""
    if not value:
        return ""
    n = len(value)
    keep = 4 if n >= 12 else (2 if n >= 6 else 0)
    if keep == 0:
        return "*" * n
    return value[:keep] + "*" * (n - 2 * keep) + value[-keep:]
