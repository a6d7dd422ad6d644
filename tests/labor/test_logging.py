"""Personal data never reaches a log line."""

import io
import logging
import re
import sys
from urllib.parse import unquote

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from labor.log_filters import RedactPersonalData, redact
from tests.labor.factories import WorkerFactory

ID_NUMBER = "11010519491231002X"
ID_15 = "110105491231002"  # an old 15-digit number: area, YYMMDD, serial
MOBILE = "13711112222"
LANDLINE = "08343219876"


def test_redact_masks_numbers_in_urls():
    line = f'"GET /admin/labor/worker/?q={ID_NUMBER} HTTP/1.1" 200 phone 13812345678 order 2023000000000000000001'
    expected = (
        '"GET /admin/labor/worker/?q=110105********002X HTTP/1.1" 200 phone 138****5678 order 2023000000000000000001'
    )
    assert redact(line) == expected


def _digits(text: str) -> str:
    """The digits of ``text`` once percent-decoded (what a reader of the log could piece together)."""
    return re.sub(r"\D", "", unquote(unquote(text)))


# (text, digits that must not survive, even with the separators taken out)
PHONES = [
    ("+8613711112222", MOBILE),
    ("%2B8613711112222", MOBILE),
    ("%2b86%20137%201111%202222", MOBILE),
    ("8613711112222", MOBILE),
    ("008613711112222", MOBILE),
    ("0086 137 1111 2222", MOBILE),
    ("+86 137 1111 2222", MOBILE),
    ("+86-137-1111-2222", MOBILE),
    ("(+86) 13711112222", MOBILE),
    ("137 1111 2222", MOBILE),
    ("137-1111-2222", MOBILE),
    ("137.1111.2222", MOBILE),
    ("137+1111+2222", MOBILE),
    ("137%201111%202222", MOBILE),
    ("137%2D1111%2D2222", MOBILE),
    ("%31%33%37%31%31%31%31%32%32%32%32", MOBILE),
    ("１３７１１１１２２２２", "１３７１１１１２２２２"),
    ("0834-3219876", LANDLINE),
    ("0834%2D3219876", LANDLINE),
    ("0834%2d3219876", LANDLINE),
    ("08343219876", LANDLINE),
    ("0834 3219876", LANDLINE),
    ("0834+321+9876", LANDLINE),
    ("(0834)3219876", LANDLINE),
    ("(0834) 321-9876", LANDLINE),
    ("%280834%29%203219876", LANDLINE),
    ("010-12345678", "01012345678"),
    ("075512345678", "075512345678"),
    ("+86 834 3219876", "8343219876"),
    ("+86-10-12345678", "1012345678"),
]

IDS = [
    (ID_NUMBER, ID_NUMBER),
    (ID_NUMBER.lower(), ID_NUMBER.lower()),
    ("513431199904092981", "513431199904092981"),
    ("513431 19990409 2981", "513431199904092981"),
    ("513431 1999 0409 2981", "513431199904092981"),
    ("513431-19990409-2981", "513431199904092981"),
    ("5134 3119 9904 0929 81", "513431199904092981"),
    ("513431%2019990409%202981", "513431199904092981"),
    ("513431+19990409+298x", "51343119990409298x"),
    ("51343119990409298", "51343119990409298"),  # the check character left out
    (ID_15, ID_15),
    ("110105 491231 002", ID_15),
]


@pytest.mark.parametrize("text, secret", PHONES + IDS)
def test_redact_masks_every_format(text, secret):
    for line in (
        f'"GET /admin/labor/worker/?q={text} HTTP/1.1" 200 5123',
        f'"GET /api/v1/workers/?search={text}&page=2 HTTP/1.1" 200 5123',
        f"call {text}, please",
        text,
    ):
        redacted = redact(line)
        assert redacted != line, line
        shown = _digits(redacted)
        # Neither the number nor its middle (the birth date, the subscriber digits) is left.
        assert _digits(secret) not in shown and secret not in redacted, (line, redacted)
        assert "*" in redacted


@pytest.mark.parametrize(
    "line",
    [
        "2026-12-01 20:52:35,123 INFO django.server request finished in 0.0123 s",
        "2026-12-01T20:52:35.123456+08:00 took 1234 ms status 200 size 51234",
        '"GET /api/v1/placements/?started_on_after=2023-03-01&year=2023 HTTP/1.1" 200 5123',
        '"GET /admin/cooperation/region/?q=513431104201 HTTP/1.1" 200 3456',  # a village code
        "region 513431 county 513431104 village 513431104201",
        "order 2023000000000000000001 batch 20261201205235",
        "client 192.168.100.123 port 8000, proxy 172.16.100.200",
        "ids 12, 345, 6789 page 2 of 40, rows 13 14 15 16 17 8",
        "took 13.5 2026-12-01",
    ],
)
def test_redact_keeps_what_is_no_personal_data(line):
    assert redact(line) == line


def test_redact_keeps_the_id_mask_of_the_contract():
    assert redact("513431199904092981") == "513431********2981"
    assert redact("+8613711112222") == "+86137****2222"


class _Capture:
    """A logger with the filter on its handler, writing to a string."""

    def __init__(self, name, formatter=None):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(RedactPersonalData())
        self.handler.setFormatter(formatter or logging.Formatter("%(levelname)s %(message)s"))
        self.logger = logging.getLogger(name)
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False

    def close(self):
        self.logger.removeHandler(self.handler)
        self.logger.propagate = True

    @property
    def text(self):
        return self.stream.getvalue()


@pytest.fixture
def capture():
    made = []

    def make(name="tests.labor.redaction", formatter=None):
        made.append(_Capture(name, formatter))
        return made[-1]

    yield make
    for item in made:
        item.close()


def test_filter_rewrites_the_record(caplog):
    logger = logging.getLogger("tests.labor.redaction")
    logger.addFilter(RedactPersonalData())
    try:
        with caplog.at_level(logging.INFO, logger="tests.labor.redaction"):
            logger.info("search %s", ID_NUMBER.lower())
    finally:
        logger.filters.clear()
    assert ID_NUMBER.lower() not in caplog.text and "110105********002x" in caplog.text


@pytest.mark.parametrize("text, secret", PHONES + IDS)
def test_filter_masks_args_of_every_format(capture, text, secret):
    log = capture()
    log.logger.info("search %s from %s", text, "x")
    log.logger.info("search %(term)s", {"term": text})
    log.logger.info(f"search {text}")
    assert _digits(secret) not in _digits(log.text) and secret not in log.text, log.text


def test_filter_masks_exception_text(capture):
    log = capture()
    try:
        raise ValueError(f"no worker with ID number {ID_NUMBER} or phone +86 137 1111 2222")
    except ValueError:
        log.logger.exception("lookup of %s failed", "0834-3219876")
    try:
        raise KeyError(ID_15)
    except KeyError:
        log.logger.error("failed", exc_info=True)
    text = log.text
    assert "Traceback" in text and "ValueError: no worker with ID number" in text
    for secret in (ID_NUMBER, MOBILE, "3219876", ID_15):
        assert secret not in _digits(text) and secret not in text, text
    assert "110105********002X" in text


def test_filter_masks_a_preformatted_exc_text(capture):
    log = capture()
    record = log.logger.makeRecord(log.logger.name, logging.ERROR, __file__, 1, "failed", (), None)
    record.exc_text = f"Boom: {ID_NUMBER}"
    try:
        raise RuntimeError(ID_NUMBER)
    except RuntimeError:
        other = log.logger.makeRecord(log.logger.name, logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    log.logger.handle(record)
    log.logger.handle(other)
    assert ID_NUMBER not in log.text and log.text.count("110105********002X") == 2


def test_filter_masks_stack_info(capture):
    log = capture()
    record = log.logger.makeRecord(log.logger.name, logging.INFO, __file__, 1, "here", (), None)
    record.stack_info = f'Stack (most recent call last):\n  File "x.py", line 1, in f\n    g("{ID_NUMBER}")'
    log.logger.handle(record)
    assert ID_NUMBER not in log.text and "110105********002X" in log.text


def test_filter_survives_a_bad_format_string(capture):
    log = capture()
    log.logger.info("search %d", ID_NUMBER)
    assert ID_NUMBER not in log.text and "110105********002X" in log.text


def _runserver_line(request_line, status=200, size=5123):
    """Log one request as runserver does (``WSGIRequestHandler.log_request``)."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.requestline = request_line
    handler.log_request(status, size)


@pytest.mark.parametrize(
    "query, secret",
    [
        ("q=%2B8613711112222", MOBILE),
        ("q=0834-3219876", LANDLINE),
        ("q=0834%2D3219876", LANDLINE),
        ("q=137+1111+2222", MOBILE),
        ("q=137%201111%202222", MOBILE),
        ("q=513431+19990409+2981", "513431199904092981"),
        ("q=51343119990409298x", "51343119990409298x"),
        (f"q={ID_15}", ID_15),
        (f"q={ID_NUMBER.lower()}&o=2", ID_NUMBER.lower()),
    ],
)
@pytest.mark.parametrize("status", [200, 404, 500])
def test_runserver_access_log_is_masked(query, secret, status):
    # The project's own configuration: django.server -> the console handler and its filter.
    handler = logging.getLogger("django.server").handlers[0]
    assert any(isinstance(f, RedactPersonalData) for f in handler.filters)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        _runserver_line(f"GET /admin/labor/worker/?{query} HTTP/1.1", status=status)
    finally:
        handler.setStream(previous)
    line = stream.getvalue()
    assert "GET /admin/labor/worker/?" in line and f" {status} 5123" in line
    assert _digits(secret) not in _digits(line) and secret not in line, line


@pytest.mark.django_db
def test_requests_log_no_numbers(api_client_for, regions, caplog):
    caplog.set_level(logging.DEBUG)
    WorkerFactory(id_number=ID_NUMBER, phone="13812345678", hometown=regions["village"])
    client = api_client_for("staff")
    client.post(
        "/api/v1/workers/", {"name": "x", "id_number": ID_NUMBER, "hometown": regions["village"].pk}, format="json"
    )
    client.post("/api/v1/workers/", {"name": "x", "id_number": ID_NUMBER[:-1] + "1"}, format="json")
    client.get("/api/v1/workers/")
    assert ID_NUMBER not in caplog.text and ID_NUMBER[:-1] not in caplog.text and "13812345678" not in caplog.text
