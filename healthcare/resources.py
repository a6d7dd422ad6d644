"""Spreadsheet import and export of healthcare (hospitals send monthly statistics as sheets)."""

import datetime

from django.utils.translation import gettext as _

from cooperation.resources_base import DateCellWidget, Field, ProgrammeResource, is_blank
from healthcare.models import MedicalServiceStat


class MonthWidget(DateCellWidget):
    """A month: ``2023-05``, ``2023/05``, ``2023-05-01`` or a spreadsheet date cell.

    A bare month becomes its first day; a full date is kept as it is, so that a day other
    than the first is reported by the model's rule rather than silently moved.
    """

    MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月")
    template_date = False  # a month is written as text (2023-05), not as a date cell

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

    # The hospital by its credit code or name (the base's reference widget).
    month = Field(attribute="month", column_name="month", widget=MonthWidget())

    class Meta(ProgrammeResource.Meta):
        model = MedicalServiceStat
        import_id_fields = ["host_org", "month"]
        fields = ["host_org", "month", "outpatients", "surgeries", "rescues", "staff_trained"]
        export_order = fields
