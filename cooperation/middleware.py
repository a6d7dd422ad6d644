"""Requests carrying text PostgreSQL cannot store are refused before any view sees them.

A NUL character (``%00``) reaches the database through a path (``/projects/attachments/a%00b``),
a query string (admin filters, ``?search=``, API filters), a token or a session cookie, and
psycopg2 refuses it with a ``ValueError``: a 500. Field validation cannot catch all of these, so
they are handled here, for every page:

- in the path: 404 (no record is named with a NUL);
- in the query string: 400; under /api/ ``{"<parameter>": ["Null characters are not allowed."]}``;
- in a header (``Authorization``...): 400; under /api/ ``{"detail": "..."}``;
- in a cookie: the cookie is ignored (a browser sends its cookies on every request: refusing
  them would lock its user out of every page).

Outside /api/ the answers are the project's error pages (``config.views``). Lone
surrogates are refused the same way (Django's decoding cannot produce them from a path or a
query string; JSON bodies are checked by ``cooperation.api.parsers``).

It runs before the session middleware, which reads the session cookie, so it negotiates the
language of its messages itself.
"""

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

from cooperation import views
from cooperation.api.parsers import unstorable_character, unstorable_character_message


def _query_problems(request) -> dict[str, str]:
    """{parameter: offending character}; a parameter whose name is the problem under non_field_errors."""
    problems = {}
    for key, values in request.GET.lists():
        char = unstorable_character(key)
        if char:
            problems.setdefault(api_settings.NON_FIELD_ERRORS_KEY, char)
            continue
        for value in values:
            char = unstorable_character(value)
            if char:
                problems[key] = char
                break
    return problems


def _bad_header(request) -> str | None:
    for key, value in request.META.items():
        if key.startswith("HTTP_") and key != "HTTP_COOKIE" and isinstance(value, str) and "\x00" in value:
            return key.removeprefix("HTTP_").replace("_", "-").title()
    return None


def _drop_unstorable_cookies(request) -> None:
    # Parsed cookies: a quoted value may spell a NUL as "\000", which the parsing turns into one.
    cookies = request.COOKIES
    if any(unstorable_character(name + value) for name, value in cookies.items()):
        request.COOKIES = {name: value for name, value in cookies.items() if not unstorable_character(name + value)}


class UnstorableTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _drop_unstorable_cookies(request)
        bad_path = unstorable_character(request.path_info) is not None
        query_problems = {} if bad_path else _query_problems(request)
        header = None if bad_path or query_problems else _bad_header(request)
        if not (bad_path or query_problems or header):
            return self.get_response(request)
        with translation.override(translation.get_language_from_request(request)):
            if bad_path:
                return views.page_not_found(request, Http404())
            if not views.is_api_request(request):
                return views.bad_request(request)
            if query_problems:
                errors = {key: [unstorable_character_message(char)] for key, char in query_problems.items()}
                return views.api_error(errors, 400)
            message = _("The %(header)s header contains a null character.") % {"header": header}
            return views.api_error({"detail": message}, 400)
