"""Page-number pagination per the contract: ``?page=`` and ``?page_size=`` (at most 1000)."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


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

    def paginate_queryset(self, queryset, request, view=None):
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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
