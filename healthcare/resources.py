"""Spreadsheet import and export of healthcare (hospitals send monthly statistics as sheets)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from cooperation.models import Organization
from cooperation.resources_base import ProgrammeResource, is_blank
from healthcare.models import MedicalServiceStat


class OrganizationByCodeOrNameWidget(widgets.ForeignKeyWidget):
    """An organisation named by its unified social credit code or, failing that, its exact name.

    Exports the credit code when there is one (it never changes), else the name.
    """

    def __init__(self, **kwargs):
        super().__init__(Organization, "credit_code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = str(value).strip()
        matches = list(Organization.objects.filter(Q(credit_code=text.upper()) | Q(name=text))[:2])
        by_code = [org for org in matches if org.credit_code == text.upper()]
        if by_code:
            return by_code[0]
        if not matches:
            raise ValueError(_("No organisation has the credit code or name “%(value)s”.") % {"value": text})
        if len(matches) > 1:
            raise ValueError(_("Several organisations are named “%(value)s”: give the credit code.") % {"value": text})
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.credit_code or value.name


class MonthWidget(widgets.DateWidget):
    """A month: ``2023-05``, ``2023/05``, ``2023-05-01`` or a spreadsheet date cell.

    A bare month becomes its first day; a full date is kept as it is, so that a day other
    than the first is reported by the model's rule rather than silently moved.
    """

    MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in self.MONTH_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        try:
            return super().clean(text, row, **kwargs)
        except ValueError:
            raise ValueError(_("Enter the month as YYYY-MM.")) from None

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, datetime.date):
            return ""
        return value.strftime("%Y-%m")


class MedicalServiceStatResource(ProgrammeResource):
    """Monthly statistics keyed by (hospital, month): importing a month again updates its row."""

    host_org = fields.Field(attribute="host_org", column_name="host_org", widget=OrganizationByCodeOrNameWidget())
    month = fields.Field(attribute="month", column_name="month", widget=MonthWidget())

    class Meta(ProgrammeResource.Meta):
        model = MedicalServiceStat
        import_id_fields = ["host_org", "month"]
        fields = ["host_org", "month", "outpatients", "surgeries", "rescues", "staff_trained"]
        export_order = fields

    def import_data(self, dataset, **kwargs):
        # All rows or none, also outside the admin (which already asks for this): a sheet with
        # one bad month must not leave the other months half-imported.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)
