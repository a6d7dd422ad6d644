import pytest
from django.core.exceptions import ValidationError

from cooperation.validators import credit_code_check_character, validate_credit_code, validate_region_code_digits
from tests.factories import make_credit_code

# Published examples of real unified social credit codes (check character verified by hand).
GOOD_CODES = ["91350100M000100Y43", "9144030071526726XG", "91110000802100433B", "91440300708461136T"]


@pytest.mark.parametrize("code", GOOD_CODES)
def test_real_credit_codes_pass(code):
    validate_credit_code(code)


def test_generated_codes_pass():
    for n in range(0, 5000, 97):
        validate_credit_code(make_credit_code(n))


@pytest.mark.parametrize(
    "code, reason",
    [
        ("91350100M000100Y44", "check"),  # last character changed
        ("91350100M000100Y4", "format"),  # 17 characters
        ("91350100M000100Y433", "format"),  # 19 characters
        ("91350100M0001O0Y43", "format"),  # letter O is not in the alphabet
        ("91350100m000100Y43", "format"),  # lower case
        ("", "format"),
    ],
)
def test_bad_credit_codes_fail(code, reason):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == f"credit_code_{reason}"


def test_check_character_changes_with_any_digit():
    base = "91350100M000100Y4"
    assert credit_code_check_character(base) == "3"
    assert credit_code_check_character("81350100M000100Y4") != "3"


def test_region_code_digits():
    validate_region_code_digits("513431")
    with pytest.raises(ValidationError):
        validate_region_code_digits("51343A")
