"""Filter backends shared by every endpoint."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

# The query parameters no FilterSet reads: pagination, ordering, search and the format.
NOT_FILTERS = frozenset({"page", "page_size", "cursor", "ordering", "search", "format"})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, not run for a request that sends no filter (a client walking a
    whole list): with no value, every filter leaves the list as it is, and building the
    FilterSet and its form for nothing was a tenth of such a request."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        sent = set(request.query_params)
        if filterset_class is not None and sent <= NOT_FILTERS and not sent & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``; an unknown field is a 400, not ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in params.split(",") if term.strip()]
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        unknown = [term for term in terms if term.lstrip("-") not in valid]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot order by %(fields)s. Choose from: %(valid)s.")
                        % {"fields": ", ".join(unknown), "valid": ", ".join(sorted(valid))}
                    ]
                }
            )
        return terms
