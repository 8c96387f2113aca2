"""Reference data loaded by migrations: regulator offices and roles.

The helpers take model classes so a data migration can pass its historical models and a test can
re-create the rows after a transactional flush (TransactionTestCase empties every table).
"""

from __future__ import annotations

from typing import Any

CENTRAL_OFFICE_CODE = "000000"

# (GB/T 2260 province code, Chinese name, English name) for the 31 provincial-level divisions of
# mainland China. Each has a provincial cyberspace administration (省级网信办).
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("11", "北京市", "Beijing"),
    ("12", "天津市", "Tianjin"),
    ("13", "河北省", "Hebei"),
    ("14", "山西省", "Shanxi"),
    ("15", "内蒙古自治区", "Inner Mongolia"),
    ("21", "辽宁省", "Liaoning"),
    ("22", "吉林省", "Jilin"),
    ("23", "黑龙江省", "Heilongjiang"),
    ("31", "上海市", "Shanghai"),
    ("32", "江苏省", "Jiangsu"),
    ("33", "浙江省", "Zhejiang"),
    ("34", "安徽省", "Anhui"),
    ("35", "福建省", "Fujian"),
    ("36", "江西省", "Jiangxi"),
    ("37", "山东省", "Shandong"),
    ("41", "河南省", "Henan"),
    ("42", "湖北省", "Hubei"),
    ("43", "湖南省", "Hunan"),
    ("44", "广东省", "Guangdong"),
    ("45", "广西壮族自治区", "Guangxi"),
    ("46", "海南省", "Hainan"),
    ("50", "重庆市", "Chongqing"),
    ("51", "四川省", "Sichuan"),
    ("52", "贵州省", "Guizhou"),
    ("53", "云南省", "Yunnan"),
    ("54", "西藏自治区", "Xizang"),
    ("61", "陕西省", "Shaanxi"),
    ("62", "甘肃省", "Gansu"),
    ("63", "青海省", "Qinghai"),
    ("64", "宁夏回族自治区", "Ningxia"),
    ("65", "新疆维吾尔自治区", "Xinjiang"),
)
PROVINCE_CODES = frozenset(code for code, _zh, _en in PROVINCES)
_PROVINCE_NAMES = {code: (zh, en) for code, zh, en in PROVINCES}


def province_name(code: str) -> str:
    """The province's name in the current language (the code itself when unknown)."""
    from django.utils.translation import get_language

    zh, en = _PROVINCE_NAMES.get(code, (code, code))
    return en if (get_language() or "").startswith("en") else zh


ROLE_NAMES = (
    "provider_admin",
    "provider_member",
    "reviewer",
    "senior_reviewer",
    "supervisor",
    "sysadmin",
)


def office_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "code": CENTRAL_OFFICE_CODE,
            "province_code": None,
            "name_zh": "国家互联网信息办公室",
            "name_en": "Cyberspace Administration of China",
            "is_central": True,
        }
    ]
    for code, name_zh, name_en in PROVINCES:
        rows.append(
            {
                "code": f"{code}0000",
                "province_code": code,
                "name_zh": f"{name_zh}互联网信息办公室",
                "name_en": f"{name_en} Cyberspace Administration",
                "is_central": False,
            }
        )
    return rows


def ensure_offices(office_model: Any) -> None:
    for row in office_rows():
        office_model.objects.update_or_create(code=row["code"], defaults=row)


def ensure_roles(group_model: Any) -> None:
    for name in ROLE_NAMES:
        group_model.objects.get_or_create(name=name)


def ensure_reference_data() -> None:
    """Idempotent: (re)create offices and role groups with the current models."""
    from django.contrib.auth.models import Group

    from accounts.models import RegulatorOffice

    if RegulatorOffice.objects.count() != len(PROVINCES) + 1:
        ensure_offices(RegulatorOffice)
    if Group.objects.filter(name__in=ROLE_NAMES).count() != len(ROLE_NAMES):
        ensure_roles(Group)
