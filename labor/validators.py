"""Validation of the resident ID number (GB 11643-1999) and of phone numbers.

Messages never quote the value: an ID number is personal data and must not reach an error
message, a log line or a response body.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK_CHARACTERS = "10X98765432"
_ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")

# GB/T 2260 province-level codes (the first two digits of every division code), plus the codes
# of the residence permits of Hong Kong (81), Macao (82) and Taiwan (83) residents.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
RESIDENCE_PERMIT_AREAS = frozenset({"810000", "820000", "830000"})
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

# Dates of programme records: anything outside these years is a typing error.
EARLIEST_RECORD_DATE = datetime.date(1950, 1, 1)
LATEST_RECORD_DATE = datetime.date(2100, 12, 31)

_PHONE_RE = re.compile(r"^\+?\d{5,20}$")


def normalize_id_number(value) -> str:
    """Upper-case check character, no surrounding or inner spaces."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", str(value)).upper()


def looks_like_id_number(value) -> bool:
    """Whether ``value`` has the shape of an ID number (for search boxes: no checks beyond shape)."""
    return bool(_ID_NUMBER_RE.match(normalize_id_number(value)))


def id_number_check_character(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARACTERS[total % 11]


def id_number_birth_date(value: str) -> datetime.date | None:
    """The birth date an ID number encodes (digits 7-14), or None when it is no real date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def id_number_gender(value: str) -> str:
    """``male`` for an odd 17th digit, ``female`` for an even one."""
    return "male" if int(value[16]) % 2 else "female"


def validate_id_number(value: str) -> None:
    """Raise ValidationError unless ``value`` (normalised) is a valid 18-character resident ID number."""
    value = normalize_id_number(value)
    if not _ID_NUMBER_RE.match(value):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a digit or X."), code="id_number_format"
        )
    area = value[:6]
    if area[:2] not in PROVINCE_CODES or (area[2:4] == "00" and area not in RESIDENCE_PERMIT_AREAS):
        raise ValidationError(_("The first six digits of this ID number are not a valid area code."), code="id_area")
    birth_date = id_number_birth_date(value)
    if birth_date is None:
        raise ValidationError(_("The birth date in this ID number is not a real date."), code="id_birth_date")
    if birth_date < EARLIEST_BIRTH_DATE or birth_date > timezone.localdate():
        raise ValidationError(_("The birth date in this ID number is out of range."), code="id_birth_date_range")
    if id_number_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this ID number is wrong."), code="id_check_digit")


def normalize_phone(value) -> str:
    """Digits (and a leading +) only: spaces, dashes and brackets are dropped."""
    if value is None:
        return ""
    return re.sub(r"[\s\-()]", "", str(value))


def validate_phone(value: str) -> None:
    if value and not _PHONE_RE.match(normalize_phone(value)):
        raise ValidationError(_("Enter a phone number of 5 to 20 digits."), code="phone_format")


def validate_record_date(value: datetime.date) -> None:
    """A date of a labor record lies between 1950 and 2100."""
    if value and not EARLIEST_RECORD_DATE <= value <= LATEST_RECORD_DATE:
        raise ValidationError(_("Enter a date between 1950 and 2100."), code="date_range")
