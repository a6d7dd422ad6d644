"""Filter backends shared by every endpoint."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


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
