"""Spreadsheet import and export of labor cooperation.

Exports mask the ID number and phone unless the exporting user holds
``labor.view_full_id_number``; without it they carry the birth year instead of the birth
date (the masked part of the number). The combined import takes one row per placement, the worker
identified by the ID number: it registers or updates the worker and adds or updates the
placement (the same worker, destination and start date is the same placement), all rows or
none. Its error report names rows and columns but never shows an ID number or phone.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.resources import Diff

from cooperation.models import Organization, Region
from cooperation.resources_base import ProgrammeResource, is_blank
from labor import selectors, services
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import can_view_full, mask_id_number, mask_phone

WORKER_COLUMNS = {
    "name": "name",
    "hometown": "hometown",
    "poverty_alleviated": "poverty_alleviated",
    "monitored_household": "monitored_household",
    "phone": "phone",
    "external_id": "external_id",
}
_BOOLEAN = widgets.BooleanWidget()
_REGION = widgets.ForeignKeyWidget(Region, "code")


class PersonalDataResourceMixin:
    """Knows the user (passed by the admin as ``user``) to decide between full and masked values."""

    # The user of a resource made without one (see ``for_user``).
    default_user = None

    def __init__(self, user=None, **kwargs):
        self.user = user if user is not None else self.default_user
        super().__init__(**kwargs)

    @classmethod
    def for_user(cls, user):
        """This class bound to ``user``: for the admin's export form, which lists the columns of
        a resource it makes without arguments. The name stays, and so the form's field names."""
        attrs = {"default_user": user, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
        return type(cls.__name__, (cls,), attrs)

    @property
    def full_view(self) -> bool:
        return can_view_full(self.user)

    def show_id_number(self, value: str) -> str:
        return value if self.full_view else mask_id_number(value)

    def show_phone(self, value: str) -> str:
        return value if self.full_view else mask_phone(value)


class WorkerResource(PersonalDataResourceMixin, ProgrammeResource):
    """Export of workers (one row each), masked unless permitted.

    Users holding ``labor.view_full_id_number`` get a ``birth_date`` column, the others (and a
    resource made without a user) ``birth_year`` in its place, whatever columns they ask for.
    """

    id_number = fields.Field(column_name="id_number", readonly=True)
    birth_year = fields.Field(column_name="birth_year", readonly=True)
    phone = fields.Field(column_name="phone", readonly=True)
    hometown = fields.Field(attribute="hometown", column_name="hometown", widget=_REGION)

    class Meta(ProgrammeResource.Meta):
        model = Worker
        import_id_fields = ["id"]
        fields = [
            "id",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "birth_year",  # in place of the birth date, for users without the permission
            "hometown",
            "poverty_alleviated",
            "monitored_household",
            "phone",
            "external_id",
        ]
        export_order = fields

    def get_export_order(self):
        order = [name for name in super().get_export_order() if name != "birth_year"]
        if self.full_view:
            return tuple(order)
        return tuple("birth_year" if name == "birth_date" else name for name in order)

    def dehydrate_id_number(self, worker):
        return self.show_id_number(worker.id_number)

    def dehydrate_birth_year(self, worker):
        return worker.birth_date.year if worker.birth_date else None

    def dehydrate_phone(self, worker):
        return self.show_phone(worker.phone)


class WorkerByIdNumberWidget(widgets.ForeignKeyWidget):
    """The worker a row's ID number names (found through the keyed hash)."""

    def __init__(self, **kwargs):
        super().__init__(Worker, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return selectors.worker_by_id_number(str(value))

    def render(self, value, obj=None, **kwargs):
        # Masked by default: the resource's ``dehydrate_worker`` shows it in full when permitted.
        return value.id_number_masked if value is not None else ""


class PersonalDataDiff(Diff):
    """The import preview's before/after values, read through the resource's ``export_field``
    (which masks personal data unless permitted) instead of the raw widgets."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self._values(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self._values(resource, instance)

    @staticmethod
    def _values(resource, instance):
        fields_ = resource.get_import_fields()
        if instance is None:
            return ["" for _field in fields_]
        return [resource.export_field(field, instance) for field in fields_]


class WorkerPlacementResource(PersonalDataResourceMixin, ProgrammeResource):
    """One row per placement; the worker's columns register or update the worker first."""

    worker = fields.Field(attribute="worker", column_name="id_number", widget=WorkerByIdNumberWidget())
    name = fields.Field(attribute="worker__name", column_name="name", readonly=True)
    hometown = fields.Field(attribute="worker__hometown", column_name="hometown", widget=_REGION, readonly=True)
    poverty_alleviated = fields.Field(
        attribute="worker__poverty_alleviated", column_name="poverty_alleviated", widget=_BOOLEAN, readonly=True
    )
    monitored_household = fields.Field(
        attribute="worker__monitored_household", column_name="monitored_household", widget=_BOOLEAN, readonly=True
    )
    phone = fields.Field(column_name="phone", readonly=True)
    external_id = fields.Field(attribute="worker__external_id", column_name="external_id", readonly=True)
    employer = fields.Field(
        attribute="employer", column_name="employer", widget=widgets.ForeignKeyWidget(Organization, "credit_code")
    )

    class Meta(ProgrammeResource.Meta):
        model = Placement
        import_id_fields = ["worker", "destination", "started_on"]
        fields = [
            "worker",
            "name",
            "hometown",
            "poverty_alleviated",
            "monitored_household",
            "phone",
            "external_id",
            "destination",
            "employer",
            "position",
            "started_on",
            "ended_on",
            "monthly_wage",
        ]
        export_order = fields
        skip_unchanged = False

    @classmethod
    def get_diff_class(cls):
        return PersonalDataDiff

    def dehydrate_worker(self, placement):
        return self.show_id_number(placement.worker.id_number) if placement.worker_id else ""

    def dehydrate_phone(self, placement):
        return self.show_phone(placement.worker.phone) if placement.worker_id else ""

    def import_data(self, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True  # all rows or none
        return super().import_data(*args, **kwargs)

    def before_import_row(self, row, **kwargs):
        """Register or update the row's worker, so the placement can refer to it."""
        id_number = row.get("id_number")
        if is_blank(id_number):
            raise ValidationError({"id_number": [_("This field is required.")]})
        values = {}
        errors = {}
        for column, attribute in WORKER_COLUMNS.items():
            if column not in row or (is_blank(row[column]) and column not in ("name", "hometown")):
                continue
            raw = row[column]
            try:
                if column == "hometown":
                    values[attribute] = _REGION.clean(raw, row=row)
                    if values[attribute] is None:
                        raise ValidationError(_("This field is required."))
                elif column in ("poverty_alleviated", "monitored_household"):
                    values[attribute] = bool(_BOOLEAN.clean(raw, row=row))
                else:
                    values[attribute] = "" if raw is None else str(raw).strip()
            except (ValueError, Region.DoesNotExist):
                errors[column] = [_("No region with this division code.")]
            except ValidationError as exc:
                errors[column] = exc.messages
        if errors:
            raise ValidationError(errors)
        # On update a blank cell keeps the stored value (the service drops blank values then).
        services.worker_upsert_by_id_number(id_number=str(id_number), **values)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        # The error report shows the row's cells: mask the personal data in it.
        if row.get("id_number"):
            row["id_number"] = mask_id_number(str(row["id_number"]))
        if row.get("phone"):
            row["phone"] = mask_phone(str(row["phone"]))
        return result

    def save_instance(self, instance, is_create, row, **kwargs):
        # The overlap rule spans rows: the service checks it under the worker's lock, against
        # the stored placements, which include the rows of this sheet saved before this one.
        self.before_save_instance(instance, row, **kwargs)
        if kwargs.get("using_transactions", True) or not kwargs.get("dry_run"):
            services.placement_save(placement=instance)
        self.after_save_instance(instance, row, **kwargs)


class WorkshopResource(ProgrammeResource):
    region = fields.Field(attribute="region", column_name="region", widget=_REGION)
    operator = fields.Field(
        attribute="operator", column_name="operator", widget=widgets.ForeignKeyWidget(Organization, "credit_code")
    )

    class Meta(ProgrammeResource.Meta):
        model = Workshop
        import_id_fields = ["id"]
        fields = ["id", "name", "operator", "region", "opened_on", "closed_on", "jobs_offered", "notes"]
        export_order = fields


class RecruitmentEventResource(ProgrammeResource):
    region = fields.Field(attribute="region", column_name="region", widget=_REGION)

    class Meta(ProgrammeResource.Meta):
        model = RecruitmentEvent
        import_id_fields = ["id"]
        fields = ["id", "held_on", "place", "region", "organiser", "positions", "attendees", "hires"]
        export_order = fields


class SkillsTrainingResource(ProgrammeResource):
    region = fields.Field(attribute="region", column_name="region", widget=_REGION)

    class Meta(ProgrammeResource.Meta):
        model = SkillsTraining
        import_id_fields = ["id"]
        fields = [
            "id",
            "course",
            "region",
            "organiser",
            "started_on",
            "ended_on",
            "trainees",
            "trainees_poverty_alleviated",
        ]
        export_order = fields
