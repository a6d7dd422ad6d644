"""Spreadsheet import and export of labor cooperation.

Exports mask the ID number and phone unless the exporting user holds
``labor.view_full_id_number``; without it they carry the birth year instead of the birth
date (the masked part of the number). The same holds for the import preview and its errors.

Two sheets, each importing back what it exports:
- the worker sheet (:class:`WorkerResource`), one row per worker, keyed by the record ID: it
  updates the worker's own columns; the ID number, phone, gender and birth date are shown
  (masked as above) but not imported;
- the combined sheet (:class:`WorkerPlacementResource`), one row per placement, the worker
  named by the ID number: it registers or updates the worker and adds or updates the
  placement (the same worker, destination and start date is the same placement), all rows or
  none. A row exported with a masked ID number names its worker through its record ID.
  Uploaded in the workers' admin, a worker sheet is recognised and imported as one.
Error reports name rows and columns but never show an ID number or phone.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperation.models import Region
from cooperation.resources_base import (
    Field,
    ProgrammeResource,
    ReferenceWidget,
    YesNoWidget,
    _norm,
    _text,
    is_blank,
)
from cooperation.scopes import OUTSIDE_SCOPE, scope_of, scoped
from labor import selectors, services
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import ID_NUMBER_MASK, can_view_full, mask_id_number, mask_phone

_BOOLEAN = YesNoWidget()
_REGION = ReferenceWidget(Region)
# The combined sheet's worker columns and how each one's cell is read.
WORKER_COLUMNS = {
    "name": None,
    "hometown": _REGION,
    "poverty_alleviated": _BOOLEAN,
    "monitored_household": _BOOLEAN,
    "phone": None,
    "external_id": None,
}
# The columns that make a sheet a placement sheet (a worker sheet has none of them).
PLACEMENT_COLUMNS = ("destination", "started_on")


class PersonalDataResourceMixin:
    """Knows the user (passed by the admin as ``user``) to decide between full and masked values."""

    # The user of a resource made without one (see ``for_user``).
    default_user = None
    labels = {"id_number": _("ID number"), "phone": _("phone"), "birth_year": _("birth year")}

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
    """The worker sheet: one row per worker, masked unless permitted; imports by record ID.

    Users holding ``labor.view_full_id_number`` get a ``birth_date`` column, the others (and a
    resource made without a user) ``birth_year`` in its place, whatever columns they ask for.
    """

    id_number = Field(column_name="id_number", readonly=True)
    birth_year = Field(column_name="birth_year", readonly=True)
    phone = Field(column_name="phone", readonly=True)

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

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        # Derived from the ID number, which this sheet does not import.
        for name in ("gender", "birth_date"):
            self.fields[name].readonly = True

    def _hidden(self) -> str:
        return "birth_year" if self.full_view else "birth_date"

    def get_export_order(self):
        order = [name for name in super().get_export_order() if name != "birth_year"]
        if self.full_view:
            return tuple(order)
        return tuple("birth_year" if name == "birth_date" else name for name in order)

    def get_import_fields(self):
        # The preview reads these: never the birth date for a user who may not see it.
        hidden = self.fields[self._hidden()]
        return [field for field in super().get_import_fields() if field is not hidden]

    def dehydrate_id_number(self, worker):
        return self.show_id_number(worker.id_number)

    def dehydrate_birth_year(self, worker):
        return worker.birth_date.year if worker.birth_date else None

    def dehydrate_phone(self, worker):
        return self.show_phone(worker.phone)


class WorkerByIdNumberWidget(ReferenceWidget):
    """The worker a row's ID number names (found through the keyed hash); never lists any."""

    def __init__(self, **kwargs):
        super().__init__(Worker, keys=("pk",), examples=False, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return selectors.worker_by_id_number(str(value))

    def render(self, value, obj=None, **kwargs):
        # Masked by default: the resource's ``dehydrate_worker`` shows it in full when permitted.
        return value.id_number_masked if value is not None else ""


class WorkerPlacementResource(PersonalDataResourceMixin, ProgrammeResource):
    """The combined sheet: one row per placement; the worker's columns register or update the
    worker first."""

    worker = Field(attribute="worker", column_name="id_number", widget=WorkerByIdNumberWidget())
    name = Field(attribute="worker__name", column_name="name", readonly=True)
    hometown = Field(attribute="worker__hometown", column_name="hometown", widget=_REGION, readonly=True)
    poverty_alleviated = Field(
        attribute="worker__poverty_alleviated", column_name="poverty_alleviated", widget=_BOOLEAN, readonly=True
    )
    monitored_household = Field(
        attribute="worker__monitored_household", column_name="monitored_household", widget=_BOOLEAN, readonly=True
    )
    phone = Field(column_name="phone", readonly=True)
    external_id = Field(attribute="worker__external_id", column_name="external_id", readonly=True)

    labels = {**PersonalDataResourceMixin.labels, "worker": _("ID number")}

    class Meta(ProgrammeResource.Meta):
        model = Placement
        import_id_fields = ["worker", "destination", "started_on"]
        fields = [
            "id",
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

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        # The record ID only names the worker of a masked row (see before_import_row).
        self.fields["id"].readonly = True
        self._worker_changed = False

    def dehydrate_worker(self, placement):
        return self.show_id_number(placement.worker.id_number) if placement.worker_id else ""

    def dehydrate_phone(self, placement):
        return self.show_phone(placement.worker.phone) if placement.worker_id else ""

    def import_data(self, dataset, *args, **kwargs):
        aliases = self.header_aliases()
        columns = {aliases.get(_norm(_text(h)), h) for h in (dataset.headers or []) if not is_blank(h)}
        if not columns & set(PLACEMENT_COLUMNS) and "id" in columns:
            # A worker sheet (the workers' export): import it as one.
            return WorkerResource(user=self.user).import_data(dataset, *args, **kwargs)
        return super().import_data(dataset, *args, **kwargs)

    def _unmask(self, row, user=None) -> None:
        """A row exported with a masked ID number: name its worker through the record ID."""
        masked = str(row["id_number"]).strip()
        placement = None
        record_id = row.get("id")
        if not is_blank(record_id) and _text(record_id).isdigit():
            placements = scoped(Placement.objects.select_related("worker"), user)
            placement = placements.filter(pk=int(_text(record_id))).first()
        if placement is None or mask_id_number(placement.worker.id_number) != masked:
            raise ValidationError(
                {"id_number": [_("A masked ID number only names the worker of the exported row it came with.")]}
            )
        row["id_number"] = placement.worker.id_number

    def before_import_row(self, row, **kwargs):
        """Register or update the row's worker, so the placement can refer to it: only a
        worker within the user's scope (CONTRACT.md 1.1), with a hometown within it."""
        self._worker_changed = False
        user = kwargs.get("user", self.scope_user())
        scope = scope_of(user)
        id_number = row.get("id_number")
        if is_blank(id_number):
            raise ValidationError({"id_number": [_("This field is required.")]})
        if ID_NUMBER_MASK in str(id_number):
            self._unmask(row, user)
            id_number = row["id_number"]
        values = {}
        errors = {}
        for column, widget in WORKER_COLUMNS.items():
            if column not in row or (is_blank(row[column]) and column not in ("name", "hometown")):
                continue
            raw = row[column]
            if column == "phone" and "*" in str(raw):
                continue  # a masked phone (an exported row) keeps the stored one
            try:
                if widget is None:
                    values[column] = "" if raw is None else _text(raw)
                else:
                    values[column] = widget.clean(raw, row=row, user=user)
                    if values[column] is None and column == "hometown":
                        raise ValidationError(_("This field is required."))
            except ValueError as exc:
                errors[column] = [str(exc)]
            except ValidationError as exc:
                errors[column] = exc.messages
        if errors:
            raise ValidationError(errors)
        existing = selectors.worker_by_id_number(str(id_number))
        if existing is not None and not scope.can_write(existing):
            # Another region's worker: neither changed nor given a placement from here.
            raise ValidationError({"id_number": [OUTSIDE_SCOPE]})
        if values.get("hometown") is not None:
            outside = scope.record_error(Worker(hometown=values["hometown"]))
            if outside:
                raise ValidationError({"hometown": [outside["hometown"]]})
        if existing is None:
            services.worker_upsert_by_id_number(id_number=str(id_number), **values)
            self._worker_changed = True
            return
        # On update a blank cell keeps the stored value; an unchanged worker is not written.
        changed = {
            key: value
            for key, value in values.items()
            if value is not None and value != "" and getattr(existing, key) != value
        }
        if changed:
            services.worker_update(worker=existing, **changed)
            self._worker_changed = True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self._worker_changed:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

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
    class Meta(ProgrammeResource.Meta):
        model = Workshop
        import_id_fields = ["id"]
        fields = ["id", "name", "operator", "region", "opened_on", "closed_on", "jobs_offered", "notes"]
        export_order = fields


class RecruitmentEventResource(ProgrammeResource):
    class Meta(ProgrammeResource.Meta):
        model = RecruitmentEvent
        import_id_fields = ["id"]
        fields = ["id", "held_on", "place", "region", "organiser", "positions", "attendees", "hires"]
        export_order = fields


class SkillsTrainingResource(ProgrammeResource):
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
