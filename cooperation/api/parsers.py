"""The request parser of every endpoint (``DEFAULT_PARSER_CLASSES``): JSON, hostile bodies refused.

DRF's ``JSONParser`` lets a ``RecursionError`` through (``[`` nested a thousand times is a 500),
and passes on strings that PostgreSQL cannot store: NUL characters and lone surrogates
(``"\\ud800"`` is valid JSON but not encodable as UTF-8). Those reach lookups, filters and error
messages that echo the input before any field validation can refuse them. This parser answers
400 for all of them, at the boundary, for every endpoint:

- a body that is not JSON, or nested more than ``MAX_DEPTH`` levels: ``{"detail": "JSON parse
  error - ..."}`` (DRF's format for parse errors, as before);
- a string (value or key, at any depth) holding a NUL or a lone surrogate: ``{"<top-level
  field>": ["Null characters are not allowed."]}`` (or the surrogate message), the field that
  holds it; ``non_field_errors`` when the body is not an object or a key itself is the problem.

``sales/bulk/`` has its own parser (``consumption.api.parsers``): it reads past
``DATA_UPLOAD_MAX_MEMORY_SIZE`` and names each bad row itself.
"""

import codecs
import re

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.settings import api_settings
from rest_framework.utils import json
from rest_framework.validators import ProhibitSurrogateCharactersValidator

# Deeper than any body an endpoint takes; checked so that the answer does not depend on how
# much of the stack is in use when the body is parsed.
MAX_DEPTH = 100

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_character(text: str) -> str | None:
    """The first character of ``text`` PostgreSQL cannot store (a NUL or a lone surrogate)."""
    match = _UNSTORABLE.search(text)
    return None if match is None else match.group()


def unstorable_character_message(char: str) -> str:
    """The message refusing ``char``: that of DRF's ``CharField``, naming the code point only."""
    if char == "\x00":
        return str(ProhibitNullCharactersValidator.message)
    return str(ProhibitSurrogateCharactersValidator.message).format(code_point=ord(char))


def unstorable_text_message(text: str) -> str | None:
    """Why PostgreSQL cannot store ``text``, or None if it can."""
    char = unstorable_character(text)
    return None if char is None else unstorable_character_message(char)


def _parse_error(reason) -> ParseError:
    return ParseError(_("JSON parse error - %(error)s") % {"error": reason})


def _first_problem(value, depth: int) -> str | None:
    """The message for the first unstorable string within ``value`` (iterative: no recursion)."""
    stack = [(value, depth)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            message = unstorable_text_message(value)
            if message:
                return message
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise _parse_error(_("nested more than %(depth)d levels deep") % {"depth": MAX_DEPTH})
            if isinstance(value, dict):
                stack.extend((key, depth + 1) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)
    return None


def check_parsed_data(data) -> None:
    """Raise a 400 naming each top-level field that holds a string PostgreSQL cannot store."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    errors = {}
    if isinstance(data, dict):
        for key, value in data.items():
            key_problem = unstorable_text_message(key)
            if key_problem:
                errors.setdefault(non_field, [key_problem])
                continue
            problem = _first_problem(value, 1)
            if problem:
                errors[key] = [problem]
    else:
        problem = _first_problem(data, 0)
        if problem:
            errors[non_field] = [problem]
    if errors:
        raise ValidationError(errors)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 (never 500) for every body it cannot accept."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.load(codecs.getreader(encoding)(stream), parse_constant=parse_constant)
        except RecursionError:
            raise _parse_error(_("nested too deeply")) from None
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
            raise _parse_error(exc) from None
        check_parsed_data(data)
        return data
