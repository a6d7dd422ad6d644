"""Page-number pagination per the contract: ``?page=`` and ``?page_size=`` (at most 1000); and,
for clients that sync everything, keyset pages with ``?cursor=`` (start with an empty one)."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response


class SyncCursorPagination(CursorPagination):
    """Keyset pages in id order: each page is one indexed range read however deep the client
    is, and records added meanwhile are not skipped nor repeated. No ``count``."""

    ordering = "id"
    cursor_query_param = "cursor"

    def get_ordering(self, request, queryset, view):
        return ("id",)  # ``?ordering=`` does not apply: a sync walks the ids

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # DRF reads any text as "from the start"; every cursor the API gives holds a position.
        if request.query_params.get(self.cursor_query_param) and (cursor is None or cursor.position is None):
            raise NotFound
        return cursor


class Pagination(PageNumberPagination):
    """Strict pagination: a bad ``page`` or ``page_size`` is a 400 naming the parameter.

    DRF would silently clamp an oversized page size and answer 404 for a page past the end;
    the contract wants bad input to be a 400 naming the field, so both are 400s here.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": [_("Enter a whole number.")]}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": [_("Enter a number from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return size

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        if self.cursor_query_param in request.query_params:
            self.cursor = SyncCursorPagination()
            self.cursor.page_size = self.get_page_size(request)
            try:
                return self.cursor.paginate_queryset(queryset, request, view)
            except NotFound:
                raise ValidationError({"cursor": [_("This cursor is not one the API gave.")]}) from None
        raw = request.query_params.get(self.page_query_param)
        if raw not in (None, ""):
            try:
                number = int(raw)
            except ValueError:
                raise ValidationError({"page": [_("Enter a whole number.")]}) from None
            if number < 1:
                raise ValidationError({"page": [_("Pages are numbered from 1.")]})
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage:
            raise ValidationError({"page": [_("That page contains no results.")]}) from None
        self.request = request
        return list(self.page)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return Response(
                {"next": self.cursor.get_next_link(), "previous": self.cursor.get_previous_link(), "results": data}
            )
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]  # ``count`` is left out with ``cursor``
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Keyset pages in id order for clients that sync everything: send an empty "
                "cursor first, then follow `next`. The answer has no `count`.",
                "schema": {"type": "string"},
            }
        )
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
