"""A logging filter that masks ID numbers and mobile phone numbers in any log line.

Our code never logs personal data, but URLs do carry it: an admin search or an API
``?search=`` / ``?id_number=`` puts a full ID number in the query string, which the request
loggers (``django.server``, a WSGI server's access log) would write out. Add the filter to
the handlers in ``LOGGING``::

    "filters": {"personal_data": {"()": "labor.log_filters.RedactPersonalData"}},
    "handlers": {"console": {..., "filters": ["personal_data"]}},
"""

import logging
import re

from labor.personal_data import mask_id_number, mask_phone

# 18-character ID numbers and 11-digit mainland mobiles, not inside a longer run of digits.
_ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def redact(text: str) -> str:
    text = _ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


class RedactPersonalData(logging.Filter):
    """Rewrites each record's message with ID numbers and mobiles masked (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
