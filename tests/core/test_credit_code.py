"""Unified social credit codes (GB 32100-2015) and the organisation codes inside them (GB 11714)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jieneng.core import credit_code
from jieneng.core.credit_code import (
    CHARSET,
    CreditCodeBadCharacter,
    CreditCodeWrongCheck,
    CreditCodeWrongLength,
    InvalidCreditCode,
)
from jieneng.core.errors import JienengError

# Codes printed on business licences and in public registers. Each also passes the independent
# GB 11714 check of its organisation code (positions 9–17), which a mistyped code would fail 10 times in 11.
PUBLISHED = {
    "914403001922038216": "华为技术有限公司",
    "9144030071526726XG": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110108551385082Q": "小米科技有限责任公司",
}

chars = st.sampled_from(CHARSET)
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
serials = st.text(alphabet=CHARSET, min_size=8, max_size=8)
codes = st.builds(credit_code.make, chars, chars, regions, serials)


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_codes_are_valid(code):
    assert credit_code.is_valid(code)
    credit_code.validate(code)
    assert credit_code.check_char(code[:17]) == code[17]
    assert credit_code.org_code_is_valid(credit_code.org_code(code))


def test_organisation_code_check_characters():
    assert credit_code.org_code_check_char("19220382") == "1"
    assert credit_code.org_code_check_char("71526726") == "X"  # 10 is written X
    with pytest.raises(ValueError, match="8 digits or capital letters"):
        credit_code.org_code_check_char("1922038")


@given(codes)
def test_made_codes_are_valid(code):
    assert len(code) == 18
    assert credit_code.is_valid(code)
    assert credit_code.problem(code) is None
    assert credit_code.org_code_is_valid(credit_code.org_code(code))


@given(chars, chars, regions, serials)
def test_make_keeps_its_parts(registration, category, region, serial):
    code = credit_code.make(registration, category, region, serial)
    assert (code[0], code[1], code[2:8], code[8:16]) == (registration, category, region, serial)


@given(codes, st.integers(0, 17), chars)
def test_any_single_character_change_is_caught(code, position, replacement):
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    assert not credit_code.is_valid(changed)
    with pytest.raises(CreditCodeWrongCheck) as caught:
        credit_code.validate(changed)
    assert caught.value.params["value"] == changed


@given(codes, st.integers(0, 15))
def test_swapping_neighbours_in_the_body_is_caught(code, position):
    a, b = code[position], code[position + 1]
    swapped = code[:position] + b + a + code[position + 2 :]
    assert credit_code.is_valid(swapped) == (a == b)


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(0, 7), st.sampled_from("0123456789")
)
def test_organisation_check_catches_a_changed_digit(body, position, digit):
    changed = body[:position] + digit + body[position + 1 :]
    check = credit_code.org_code_check_char(body)
    assert check in "0123456789X"
    assert (credit_code.org_code_check_char(changed) == check) == (changed == body)


def test_wrong_length_names_the_code_and_the_length():
    with pytest.raises(CreditCodeWrongLength) as caught:
        credit_code.validate("91440300192203821")
    error = caught.value
    assert isinstance(error, InvalidCreditCode) and isinstance(error, JienengError)
    assert error.code == "invalid_credit_code"
    assert error.params == {"value": "91440300192203821", "length": 17, "expected": 18}
    assert "91440300192203821" in str(error) and "17 characters" in str(error)
    assert error.as_dict()["code"] == "invalid_credit_code"


@pytest.mark.parametrize(
    ("code", "chars", "positions"),
    [
        ("9144030019220382I6", "I", "17"),  # I is not used: it reads as 1
        ("9144030071526726xg", "xg", "17, 18"),  # lower case
        ("91330100716105852O", "O", "18"),
        ("91 3301007161058 2", " ", "3, 17"),
    ],
)
def test_bad_characters_are_named_with_their_positions(code, chars, positions):
    assert not credit_code.is_valid(code)
    with pytest.raises(CreditCodeBadCharacter) as caught:
        credit_code.validate(code)
    assert caught.value.params == {"value": code, "chars": chars, "positions": positions}
    assert code in str(caught.value) and "except I, O, S, V" in str(caught.value)


def test_wrong_check_character_says_which_it_should_be():
    with pytest.raises(CreditCodeWrongCheck) as caught:
        credit_code.validate("914403001922038217")
    assert caught.value.params == {"value": "914403001922038217", "found": "7", "expected": "6"}
    assert "“6”" in str(caught.value)


def test_checks_come_in_order_length_then_characters_then_check():
    assert isinstance(credit_code.problem(""), CreditCodeWrongLength)
    assert isinstance(credit_code.problem("I" * 17), CreditCodeWrongLength)
    assert isinstance(credit_code.problem("I" * 18), CreditCodeBadCharacter)
    assert not credit_code.is_valid(None)  # type: ignore[arg-type]


def test_check_char_refuses_bad_input():
    with pytest.raises(CreditCodeWrongLength):
        credit_code.check_char("9144030019220382")
    with pytest.raises(CreditCodeBadCharacter):
        credit_code.check_char("9144030019220382Z")


def test_normalise_folds_what_people_type():
    assert credit_code.normalise(" ９１４４０３００１９２２０３８２１６ ") == "914403001922038216"
    assert credit_code.normalise("9144 0300-7152 6726 xg") == "9144030071526726XG"
    assert credit_code.is_valid(credit_code.normalise("91330100716105852f"))


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "1", "445200", "00000001"), "registration"),
        (("1", "I", "445200", "00000001"), "category"),
        (("1", "1", "44520", "00000001"), "region"),
        (("1", "1", "445200", "0000001"), "serial8"),
        (("1", "1", "445200", "0000000S"), "serial8"),
    ],
)
def test_make_refuses_bad_parts(parts, message):
    with pytest.raises(ValueError, match=message):
        credit_code.make(*parts)
