"""Validators for the national code standards the programme's records carry."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code. 18 characters from this alphabet (no I, O, Z,
# S, V); the 18th is a check character computed from the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_RE = re.compile(rf"^[{CREDIT_CODE_ALPHABET}]{{18}}$")


def credit_code_check_character(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless ``value`` is a well-formed credit code with a right check character."""
    if not _CREDIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A unified social credit code is 18 characters of digits and capital letters (no I, O, S, V, Z)."),
            code="credit_code_format",
        )
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."), code="credit_code_check"
        )


_REGION_CODE_RE = re.compile(r"^\d+$")


def validate_region_code_digits(value: str) -> None:
    """A GB/T 2260 region code is made of digits only (its length depends on the level)."""
    if not _REGION_CODE_RE.match(value or ""):
        raise ValidationError(_("A region code is made of digits only."), code="region_code_digits")
