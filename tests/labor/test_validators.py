"""Resident ID number validation (GB 11643) and what is derived from it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from labor.personal_data import mask_id_number, mask_phone
from labor.validators import id_number_check_character, validate_id_number, validate_phone
from tests.labor.factories import make_id_number


def _with_check(first17: str) -> str:
    return first17 + id_number_check_character(first17)


class TestIdNumber:
    @pytest.mark.parametrize(
        "value",
        [
            "11010519491231002X",  # the standard's published example
            "11010519491231002x",  # a lower-case check character is accepted
            " 513431 19900101 0013 ".replace(" ", "") and _with_check("51343119900101001"),
            _with_check("44190019800101001"),  # Dongguan: a prefecture without counties
            _with_check("81000019850505001"),  # residence permit of a Hong Kong resident
        ],
    )
    def test_good_numbers(self, value):
        validate_id_number(value)

    def test_factory_numbers_are_valid_and_distinct(self):
        numbers = {make_id_number(n) for n in range(2000)}
        assert len(numbers) == 2000
        for number in numbers:
            validate_id_number(number)

    @pytest.mark.parametrize(
        "value, code",
        [
            ("110105194912310021", "id_check_digit"),  # right shape, wrong check digit
            (_with_check("51343119900230001"), "id_birth_date"),  # 30 February
            (_with_check("51343119901301001"), "id_birth_date"),  # month 13
            (_with_check("51343118890101001"), "id_birth_date_range"),  # before 1900
            (_with_check("51343130000101001"), "id_birth_date_range"),  # in the future
            (_with_check("99343119900101001"), "id_area"),  # no province 99
            (_with_check("51000019900101001"), "id_area"),  # a province, not a county
            ("51343119900101001", "id_number_format"),  # 17 characters
            ("5134311990010100133", "id_number_format"),  # 19 characters
            ("51343119900101001A", "id_number_format"),
            ("", "id_number_format"),
        ],
    )
    def test_bad_numbers(self, value, code):
        with pytest.raises(ValidationError) as info:
            validate_id_number(value)
        assert info.value.code == code
        assert value not in " ".join(info.value.messages) or not value

    def test_future_birth_date_is_relative_to_today(self):
        tomorrow = datetime.date.today() + datetime.timedelta(days=2)
        with pytest.raises(ValidationError):
            validate_id_number(_with_check(f"513431{tomorrow:%Y%m%d}001"))


class TestMasks:
    def test_id_number_mask(self):
        assert mask_id_number("513431199001011234") == "513431********1234"
        assert mask_id_number("") == ""
        assert mask_id_number("12345") == "********"

    def test_phone_mask(self):
        assert mask_phone("13812345678") == "138****5678"
        assert mask_phone("") == ""
        assert mask_phone("12345") == "****"

    @pytest.mark.parametrize("value", ["13812345678", "+8613812345678", "0834-1234567"])
    def test_good_phones(self, value):
        validate_phone(value)

    @pytest.mark.parametrize("value", ["abc", "12", "1381234567890123456789"])
    def test_bad_phones(self, value):
        with pytest.raises(ValidationError):
            validate_phone(value)
