"""A logging filter that masks ID numbers and phone numbers in any log line.

Our code never logs personal data, but URLs do carry it: an admin search or an API
``?search=`` / ``?id_number=`` puts a full ID number or a phone in the query string, which the
request loggers (``django.server``, a WSGI server's access log) would write out, and an
exception's message can quote one. Add the filter to the handlers in ``LOGGING``::

    "filters": {"personal_data": {"()": "labor.log_filters.RedactPersonalData"}},
    "handlers": {"console": {..., "filters": ["personal_data"]}},

What is masked, whatever the format (separators: spaces, hyphens, dots, ``+``; in any
percent-encoded form, ``%2B86``, ``%20``, ``%2D``..., even fully encoded digits):

- resident ID numbers: 18 characters (``x`` or ``X`` last), 17 (the check character left
  out) and the old 15-digit ones; run together, or split into groups when the birth date sits
  where an ID number has it;
- mobiles (``1[3-9]`` and 9 more digits) and landlines with their area code
  (``0834-3219876``, ``(010) 1234 5678``), with or without ``+86`` / ``0086`` / ``86``; and any
  other run of exactly 11 digits.

Left alone, because they are no personal data: timestamps and dates, durations, status codes,
sizes, IPv4 addresses, and runs of digits of other lengths (12-digit village division codes,
long order numbers).
"""

import codecs
import logging
import re

from labor.personal_data import ID_NUMBER_MASK, mask_id_number, mask_phone

# One separator between the digits of a number (in the percent-decoded text).
_SEP = r"[ \t.+\-\u00a0\u2010-\u2015\u3000\uff0d]"
_SEP_RE = re.compile(_SEP)
_D = r"\d"  # Unicode digits: full-width ones typed through an input method count too
_START = r"(?<!\d)"
_END = r"(?!\d)"

# 17 digits and a check character, each pair maybe split by one separator.
_ID18 = re.compile(rf"{_START}{_D}(?:{_SEP}?{_D}){{16}}{_SEP}?[\dXx]{_END}")
_ID17 = re.compile(rf"{_START}{_D}{{17}}(?![\dXx])")
_ID15 = re.compile(rf"{_START}{_D}(?:{_SEP}?{_D}){{14}}{_END}")
_NATIONAL = (
    rf"(?P<national>1[3-9](?:{_SEP}?{_D}){{9}}"  # a mobile
    rf"|0?[1-9]{_D}{{1,2}}{_SEP}?{_D}(?:{_SEP}?{_D}){{6,7}})"  # a landline, area code first
    rf"{_END}"
)
_PREFIXED_PHONE = re.compile(rf"(?<![\d+])(?P<prefix>\(?\s?(?:\+|00)\s?86\s?\)?{_SEP}?(?:\(0\){_SEP}?)?){_NATIONAL}")
_PHONE_86 = re.compile(rf"{_START}(?P<prefix>86)(?P<national>1[3-9]{_D}{{9}}){_END}")
_LANDLINE = re.compile(rf"{_START}(?:\(0[1-9]{_D}{{1,2}}\)|0[1-9]{_D}{{1,2}}){_SEP}?{_D}(?:{_SEP}?{_D}){{6,7}}{_END}")
_MOBILE = re.compile(rf"{_START}1[3-9](?:{_SEP}?{_D}){{9}}{_END}")
_ELEVEN_DIGITS = re.compile(rf"{_START}{_D}{{11}}{_END}")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_PERCENT_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx")


def _separators(text: str) -> list[str]:
    return _SEP_RE.findall(text)


def _grouped_like_a_number(text: str, most: int) -> bool:
    """Whether the separators in ``text`` group digits as people write numbers: the same one
    throughout, and few (``13 14 15 16 17 8`` is a list, not a phone)."""
    separators = _separators(text)
    return len(set(separators)) <= 1 and len(separators) <= most


def _plausible_birth_date(year: int | None, month: str, day: str) -> bool:
    if year is not None and not 1900 <= year <= 2099:
        return False
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _mask_id(match: re.Match) -> str | None:
    text = match.group(0)
    digits = _digits(text)
    if text != digits:
        # Groups of digits that only look like an ID number: the same separator throughout
        # and a birth date where an ID number has it.
        if not _grouped_like_a_number(text, most=5):
            return None
        if len(digits) == 18 and not _plausible_birth_date(int(digits[6:10]), digits[10:12], digits[12:14]):
            return None
        if len(digits) == 15 and not _plausible_birth_date(None, digits[8:10], digits[10:12]):
            return None
    if len(digits) == 18:
        return mask_id_number(digits)
    # 15 and 17 characters: the serial only, never a digit of the birth date.
    return f"{digits[:6]}{ID_NUMBER_MASK}{digits[-3:]}"


def _mask_prefixed_phone(match: re.Match) -> str | None:
    national = match.group("national")
    if national.startswith("1") and not _grouped_like_a_number(national, most=3):
        return None
    return match.group("prefix") + mask_phone(_digits(national))


def _mask_landline(match: re.Match) -> str | None:
    digits = _digits(match.group(0))
    return mask_phone(digits) if len(digits) in (11, 12) else None


def _mask_mobile(match: re.Match) -> str | None:
    text = match.group(0)
    if not _grouped_like_a_number(text, most=3) or _IPV4.fullmatch(text):
        return None
    return mask_phone(_digits(text))


# (pattern, masker, priority): where two candidates overlap, the one starting first wins,
# then the longer one, then the lower priority.
_RULES = (
    (_ID18, _mask_id, 0),
    (_PREFIXED_PHONE, _mask_prefixed_phone, 1),
    (_PHONE_86, _mask_prefixed_phone, 1),
    (_ID17, _mask_id, 2),
    (_ID15, _mask_id, 3),
    (_LANDLINE, _mask_landline, 4),
    (_MOBILE, _mask_mobile, 5),
    (_ELEVEN_DIGITS, lambda match: mask_phone(match.group(0)), 6),
)


def _percent_decoded(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with its ``%XX`` escapes decoded (UTF-8; undecodable ones kept as they are),
    and for each character of the result, the start and end in ``text`` it comes from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def keep(begin: int, end: int) -> None:
        for index in range(begin, end):
            out.append(text[index])
            starts.append(index)
            ends.append(index + 1)

    position = 0
    for run in _PERCENT_ESCAPES.finditer(text):
        keep(position, run.start())
        decoder = codecs.getincrementaldecoder("utf-8")()
        begin = run.start()
        for index in range(run.start(), run.end(), 3):
            try:
                chars = decoder.decode(bytes([int(text[index + 1 : index + 3], 16)]))
            except UnicodeDecodeError:
                keep(begin, index + 3)
                decoder.reset()
                begin = index + 3
                continue
            for char in chars:
                out.append(char)
                starts.append(begin)
                ends.append(index + 3)
            if chars:
                begin = index + 3
        keep(begin, run.end())
        position = run.end()
    keep(position, len(text))
    return "".join(out), starts, ends


def _decoded_view(text: str) -> tuple[str, list[int], list[int]]:
    """The text a reader of the line sees once percent-decoded (twice: double encoding too),
    with each character's span in ``text``."""
    view, starts, ends = text, list(range(len(text))), list(range(1, len(text) + 1))
    for _round in range(2):
        if "%" not in view:
            break
        decoded, inner_starts, inner_ends = _percent_decoded(view)
        if decoded == view:
            break
        view = decoded
        starts = [starts[index] for index in inner_starts]
        ends = [ends[index - 1] for index in inner_ends]
    return view, starts, ends


def _candidates(view: str):
    for pattern, masker, priority in _RULES:
        position = 0
        while (match := pattern.search(view, position)) is not None:
            masked = masker(match)
            if masked is None:
                position = match.start() + 1  # refused: a shorter candidate may start inside
                continue
            yield match.start(), match.end(), priority, masked
            position = match.end()


def redact(text: str) -> str:
    """``text`` with every ID-number-like and phone-like number masked."""
    if not any(char.isdigit() for char in text):
        return text
    view, starts, ends = _decoded_view(text)
    chosen = []
    taken_until = -1
    for start, end, _priority, masked in sorted(_candidates(view), key=lambda c: (c[0], c[0] - c[1], c[2])):
        if start >= taken_until:
            chosen.append((starts[start], ends[end - 1], masked))
            taken_until = end
    if not chosen:
        return text
    pieces, position = [], 0
    for start, end, masked in chosen:
        pieces += [text[position:start], masked]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


_TRACEBACK_FORMATTER = logging.Formatter()


class RedactPersonalData(logging.Filter):
    """Rewrites each record with ID numbers and phones masked: its message (arguments
    included), its traceback and its stack information. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string or arguments: keep the record
            message = f"{record.msg} {record.args!r}"
            record.msg, record.args = redact(message), None
        else:
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse ``exc_text`` when it is set: format the traceback once, here.
            record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
