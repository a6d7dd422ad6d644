"""The request parser of ``sales/bulk/``."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

# 5,000 rows at their longest (ids and units of non-ASCII characters, escaped as \uXXXX) take
# about 8 MB; leave room for formatting and fields the endpoint ignores.
MAX_BODY_BYTES = 20 * 1024 * 1024


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


class BulkJSONParser(BaseParser):
    """JSON read from the request stream, up to ``MAX_BODY_BYTES``.

    DRF's ``JSONParser`` goes through ``request.body``, which Django caps at
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB): less than a valid batch of 5,000 rows can take,
    and the refusal would be an HTML page. Like DRF's parser it refuses NaN and Infinity.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise ParseError(_("The request body is larger than %(mb)d MB.") % {"mb": MAX_BODY_BYTES // 2**20})
        try:
            return json.loads(body, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
