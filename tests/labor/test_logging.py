"""Personal data never reaches a log line."""

import logging

import pytest

from labor.log_filters import RedactPersonalData, redact
from tests.labor.factories import WorkerFactory

ID_NUMBER = "11010519491231002X"


def test_redact_masks_numbers_in_urls():
    line = f'"GET /admin/labor/worker/?q={ID_NUMBER} HTTP/1.1" 200 phone 13812345678 order 2023000000000000000001'
    expected = (
        '"GET /admin/labor/worker/?q=110105********002X HTTP/1.1" 200 phone 138****5678 order 2023000000000000000001'
    )
    assert redact(line) == expected


def test_filter_rewrites_the_record(caplog):
    logger = logging.getLogger("tests.labor.redaction")
    logger.addFilter(RedactPersonalData())
    try:
        with caplog.at_level(logging.INFO, logger="tests.labor.redaction"):
            logger.info("search %s", ID_NUMBER.lower())
    finally:
        logger.filters.clear()
    assert ID_NUMBER.lower() not in caplog.text and "110105********002x" in caplog.text


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
