import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.validators import (
    division_name,
    mask_id_number,
    validate_division_code,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)
from tests.factories import make_resident_id


@pytest.mark.parametrize("code", ["91440300708461136T", "91110000600037341L", "9144 0300 7084 6113 6t"])
def test_real_credit_codes_are_accepted(code):
    assert validate_uscc(code) == code.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("_case", "code", "error_code", "zh_fragment", "en_fragment"),
    [
        ("too short", "9144030070846113", "uscc_length", "18", "18 characters"),
        ("too long", "91440300708461136T1", "uscc_length", "18", "18 characters"),
        ("letter I is not allowed", "9144030070846I136T", "uscc_characters", "I", "not allowed"),
        ("unknown authority 4? no: Z", "Z1440300708461136T", "uscc_characters", "Z", "not allowed"),
        ("unknown authority B", "B1440300708461136T", "uscc_authority", "B", "registration authority"),
        ("enterprise authority has no type 5", "95440300708461136T", "uscc_entity_type", "5", "Entity type"),
        ("region 999999 does not exist", "91999999708461136T", "uscc_region", "999999", "region code"),
        ("wrong check character", "91440300708461136X", "uscc_check", "T", "check character"),
    ],
)
def test_invalid_credit_codes_name_their_cause(_case, code, error_code, zh_fragment, en_fragment):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as zh:
        validate_uscc(code)
    assert zh.value.code == error_code
    assert zh_fragment in zh.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as en:
        validate_uscc(code)
    assert en_fragment in en.value.messages[0]


def test_chinese_messages_are_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_uscc("91440300708461136X")
    assert "校验" in exc.value.messages[0]


def test_historical_region_codes_in_credit_codes_are_accepted():
    # 110103 (崇文区) was abolished in 2010; licences issued before keep it.
    from stdnum.cn import uscc

    body = "91110103MA0000001"
    assert validate_uscc(body + uscc.calc_check_digit(body))


def test_division_codes():
    assert validate_division_code("110108") == "110108"
    assert division_name("440305") == "广东省南山区"
    for bad, code in [("11010", "division_format"), ("110103", "division_unknown"), ("710000", "division_no_office")]:
        with pytest.raises(ValidationError) as exc:
            validate_division_code(bad)
        assert exc.value.code == code


def test_resident_id_numbers():
    good = make_resident_id()
    assert validate_id_number("resident_id", good.lower()) == good.upper()
    with pytest.raises(ValidationError) as exc:
        validate_id_number("resident_id", good[:-1] + ("0" if good[-1] != "0" else "1"))
    assert exc.value.code == "id_check"
    with pytest.raises(ValidationError) as exc:
        validate_id_number("resident_id", "1101**********1234")
    assert exc.value.code == "id_masked"
    assert validate_id_number("passport", "E12345678") == "E12345678"


def test_masking_shows_only_the_ends():
    assert mask_id_number("110101199003071234") == "1101**********1234"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("") == ""


def test_mobile_numbers():
    assert validate_mobile("+86 138-0013-8000") == "13800138000"
    with pytest.raises(ValidationError):
        validate_mobile("12800138000")
