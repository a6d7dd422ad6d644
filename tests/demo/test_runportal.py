"""The address ``make run`` prints is the one it serves."""

import pytest

from demo.management.commands.runportal import served_url


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8001", "http://127.0.0.1:8001/"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000/"),
        ("localhost:9000", "http://localhost:9000/"),
        ("[::1]:8000", "http://[::1]:8000/"),
    ],
)
def test_the_banner_names_the_served_address(addrport, url):
    assert served_url(addrport) == url
