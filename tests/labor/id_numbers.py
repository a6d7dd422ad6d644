"""Valid resident ID numbers and phone numbers for tests and the demo data."""

import datetime

from labor.validators import id_number_check_character


def make_id_number(
    n: int = 0, *, area: str = "513431", birth_date: datetime.date | None = None, gender: str | None = None
) -> str:
    """A valid resident ID number (GB 11643 check digit), distinct for each ``n``.

    ``n`` picks the birth date (from 1 Jan 1980 on, unless given) and the 3-digit serial;
    the serial's last digit is odd for ``gender="male"`` and even for ``"female"``.
    """
    birth_date = birth_date or datetime.date(1980, 1, 1) + datetime.timedelta(days=n // 500)
    serial = (n % 500) * 2 + (0 if gender == "female" else 1)
    if gender is None and n % 2:
        serial -= 1  # alternate genders by default
    first17 = f"{area}{birth_date:%Y%m%d}{serial:03d}"
    return first17 + id_number_check_character(first17)


def make_phone(n: int = 0) -> str:
    return f"138{n % 100000000:08d}"
