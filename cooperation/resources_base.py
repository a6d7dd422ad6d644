"""Spreadsheet import and export base (django-import-export), reused by every app.

Every record kind's export and import use the same columns both ways, so an exported sheet
imports back unchanged (a dry run reports every row "unchanged"):

- headers are the fields' verbose names in the user's language (a header may also be the
  field's name or its label in the other language: older sheets keep working);
- a choice is written as its label and read from its label or its code;
- a reference is written and read by something a person knows (:class:`ReferenceWidget`):
  a region by its division code or name, an organisation by its credit code or name, a
  project by its code, a product by its name within its origin region;
- money and counts are numbers, dates are dates (native cells in ``.xlsx``);
- the sheet is named after the record kind;
- :meth:`ProgrammeResource.template_workbook` writes the empty template: drop-downs for
  choices, date and number cells, and a sheet explaining each column.

What every import gets from here:
- ``.xlsx`` and ``.csv`` (settings ``IMPORT_EXPORT_FORMATS``; the admin takes the format from
  the file name), with a dry-run preview in the admin before anything is written;
- every row checked with the model's ``full_clean()``; every bad cell of every row is
  reported in the user's language with its column header and Excel row number (the header is
  row 1, so the first record is row 2) and, for a choice or a reference, the accepted values;
  never an exception class or an ORM message (:class:`ProgrammeResult`);
- all rows or none: the import runs in one transaction (``IMPORT_EXPORT_USE_TRANSACTIONS``)
  and the admin refuses to confirm while any row has an error;
- the importing user's scope (CONTRACT.md 1.1, :mod:`cooperation.scopes`; the ``user``
  import-export passes to ``import_data``): a reference cell finds only records the user may
  read (one outside the scope is "no such record", as a missing one), a row whose record
  would lie outside the scope is an error under the column that leads outside, and a row that
  would change a stored record outside the scope is refused under its identifying column;
- on update, a blank cell keeps the stored value instead of wiping it;
- locked months (CONTRACT.md 1.1, :mod:`cooperation.locks`): a row that would create, change
  or move a record in an approved month is refused under its date column (or the column that
  would move others: a worker's hometown), naming the month and the county; the check is the
  one in ``save()``, whose ``LockedPeriod`` (a ``ValidationError``) import-export reports as
  the row's error, and the import is rolled back as for any invalid row;
- each written row leaves an audit record (django-simple-history, through ``save()``);
- the preview shows old → new for each changed cell (:class:`ProgrammeDiff`), read through
  ``export_field`` so that what a user may not see (personal data) stays masked.
"""

import copy
import datetime
import io
import logging
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from import_export import fields, resources, widgets
from import_export.results import Error, InvalidRow, Result

from cooperation.scopes import scope_of, scoped

logger = logging.getLogger(__name__)

# The languages whose labels a header or a choice may be given in (besides the code).
LABEL_LANGUAGES = ("zh-hans", "en")
# How many stored values an error about an unknown reference lists as examples.
EXAMPLES = 8
# Rows of the template that carry data validation (drop-downs, date and number cells).
TEMPLATE_ROWS = 1000
# An Excel sheet name: at most 31 characters, none of these.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value) -> str:
    """A cell as text: an integral number read from a spreadsheet loses its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _labels(value) -> set[str]:
    """A lazy label in every language a sheet may use, normalised for matching."""
    found = {_norm(force_str(value))}
    for language in LABEL_LANGUAGES:
        with override(language):
            found.add(_norm(force_str(value)))
    return found


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _join(values) -> str:
    return "、".join(str(value) for value in values)


def sheet_title(text) -> str:
    return _SHEET_FORBIDDEN.sub(" ", force_str(text))[:31] or "Sheet1"


# --- widgets ------------------------------------------------------------------------------------


class ChoiceWidget(widgets.Widget):
    """A choice written as its label, read from its label (in any language) or its code."""

    def __init__(self, choices, allow_blank=True):
        super().__init__(coerce_to_string=True)
        self.choices = list(choices)
        self.allow_blank = allow_blank

    def accepted_values(self) -> list[str]:
        return [force_str(label) for code, label in self.choices if code not in ("", None)]

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return "" if self.allow_blank else None
        text = _text(value)
        wanted = _norm(text)
        for code, label in self.choices:
            if code in ("", None):
                continue
            if wanted == _norm(code) or wanted in _labels(label):
                return code
        raise ValueError(
            _("“%(value)s” is not a choice. Choose one of: %(accepted)s.")
            % {"value": text, "accepted": _join(self.accepted_values())}
        )

    def render(self, value, obj=None, **kwargs):
        if value in ("", None):
            return ""
        return force_str(dict(self.choices).get(value, value))


class YesNoWidget(widgets.BooleanWidget):
    """Yes/no written as 是/否 (the user's language), read from those, 1/0, true/false, yes/no."""

    TRUE_TEXTS = {"1", "true", "yes", "y", "是", "√", "✓", "对"}
    FALSE_TEXTS = {"0", "false", "no", "n", "否", "×", "✗", "不是"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if is_blank(value):
            return None
        text = _norm(_text(value))
        if text in self.TRUE_TEXTS or text in _labels(_yes()):
            return True
        if text in self.FALSE_TEXTS or text in _labels(_no()):
            return False
        raise ValueError(
            _("“%(value)s” is not yes or no. Choose one of: %(accepted)s.")
            % {"value": _text(value), "accepted": _join(self.accepted_values())}
        )

    def accepted_values(self) -> list[str]:
        return [force_str(_yes()), force_str(_no())]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return force_str(_yes() if value else _no())


def _yes():
    return gettext_lazy("yes")


def _no():
    return gettext_lazy("no")


def _number_text(value) -> str:
    text = _text(value).replace(",", "").replace("，", "").replace(" ", "")
    for sign in ("¥", "￥", "元"):
        text = text.replace(sign, "")
    return text


class NumberCellWidget(widgets.NumberWidget):
    """Shared rendering: a number cell in ``.xlsx``, plain digits (no grouping) in ``.csv``."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return "" if not kwargs.get("force_native_type") else None
        if kwargs.get("force_native_type"):
            return value
        return format(value, "f") if isinstance(value, Decimal) else str(value)


class DecimalCellWidget(NumberCellWidget):
    """An amount (yuan) or a decimal: ``1234.5``, ``1,234.50``, ``¥1234`` or a number cell."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(_number_text(value))
        except (InvalidOperation, ValueError):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": _text(value)}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": _text(value)})
        return number


class IntegerCellWidget(NumberCellWidget):
    """A count or a year: a whole number (``12``, ``12.0`` or a number cell)."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = DecimalCellWidget().clean(value)
        if number != number.to_integral_value() or abs(number) > 10**15:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
        return int(number)


class DateCellWidget(widgets.DateWidget):
    """A date: a date cell, ``2024-03-01``, ``2024/3/1``, ``2024.3.1`` or ``2024年3月1日``."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")
    template_date = True  # the template makes the column's cells date cells

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date: enter it as YYYY-MM-DD.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat() if isinstance(value, datetime.date) else ""


# How each kind of record is referred to in a sheet: the fields tried in turn (the first one is
# written). Keyed by model label, so that the core names domain models without importing them.
REFERENCE_KEYS = {
    "cooperation.Region": ("code", "name"),
    "cooperation.Organization": ("credit_code", "name"),
    "projects.Project": ("code", "name"),
    "consumption.Product": ("name",),
    "consumption.Venue": ("name",),
    "healthcare.MedicalDispatch": ("person_name",),
    "education.TeacherDispatch": ("person_name",),
}
# Keys compared in capitals (a credit code typed in lower case is the same code).
_UPPER_KEYS = {"credit_code"}


def reference_keys(model) -> tuple[str, ...]:
    """The fields a sheet names a record of ``model`` by (see ``REFERENCE_KEYS``)."""
    if model._meta.label in REFERENCE_KEYS:
        return REFERENCE_KEYS[model._meta.label]
    unique = [
        f.name
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key and isinstance(f, models.CharField)
    ]
    named = [name for name in ("name", "title", "person_name") if _has_field(model, name)]
    return tuple(dict.fromkeys([*unique, *named])) or ("pk",)


def _has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class ReferenceWidget(widgets.ForeignKeyWidget):
    """A reference to another record by its natural keys (see ``REFERENCE_KEYS``).

    ``scope`` (optional) takes the row and returns a ``Q`` that narrows the candidates (a
    product within the row's origin region) or None. ``examples``: whether an error may list
    stored values (never for personal data). The candidates, and the examples, are only the
    records the importing ``user`` (import-export passes it to ``clean``) may read.
    """

    def __init__(self, model, keys=None, *, scope=None, examples=True, **kwargs):
        self.keys = tuple(keys or reference_keys(model))
        self.scope = scope
        self.examples = examples
        super().__init__(model, self.keys[0], **kwargs)

    def key_labels(self) -> list[str]:
        labels = []
        for key in self.keys:
            if key == "pk":
                labels.append(_("record ID"))
            else:
                labels.append(force_str(self.model._meta.get_field(key).verbose_name))
        return labels

    def get_queryset(self, value, row, *args, **kwargs):
        return scoped(super().get_queryset(value, row, *args, **kwargs), kwargs.get("user"))

    def accepted_values(self, user=None) -> list[str]:
        if not self.examples:
            return []
        queryset = self.get_queryset(None, None, user=user)
        values = queryset.order_by("pk").values_list(self.keys[0], flat=True)[:EXAMPLES]
        return [str(value) for value in values if value not in (None, "")]

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, self.model):
            return value
        text = _text(value)
        queryset = self.get_queryset(value, row, **kwargs)
        if self.scope is not None and row is not None:
            narrowed = self.scope(row)
            if narrowed is not None:
                queryset = queryset.filter(narrowed)
        for key in self.keys:
            wanted = text.upper() if key in _UPPER_KEYS else text
            if key == "pk" and not wanted.isdigit():
                continue
            matches = list(queryset.filter(**{key: wanted})[:2])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValueError(
                    _("Several %(kind)s match “%(value)s”: give the %(key)s instead.")
                    % {
                        "kind": self.model._meta.verbose_name_plural,
                        "value": text,
                        "key": self.key_labels()[0],
                    }
                )
        message = _("No %(kind)s has the %(keys)s “%(value)s”.") % {
            "kind": self.model._meta.verbose_name,
            "keys": _(" or ").join(self.key_labels()),
            "value": text,
        }
        examples = self.accepted_values(kwargs.get("user"))
        if examples:
            message += " " + _("For example: %(examples)s.") % {"examples": _join(examples)}
        raise ValueError(message)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        for key in self.keys:
            shown = getattr(value, key, None)
            if shown not in (None, ""):
                return str(shown)
        return str(value)


class ReferencesWidget(widgets.ManyToManyWidget):
    """Several references in one cell, separated by ``、`` ``,`` ``;`` or new lines."""

    SEPARATORS = re.compile(r"[、,，;；\n]+")

    def __init__(self, model, **kwargs):
        super().__init__(model, separator="、", field=reference_keys(model)[0], **kwargs)
        self.one = ReferenceWidget(model)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return self.model.objects.none()
        found, errors = [], []
        for part in self.SEPARATORS.split(_text(value)):
            if not part.strip():
                continue
            try:
                found.append(self.one.clean(part.strip(), row=row, **kwargs).pk)
            except ValueError as exc:
                errors.append(str(exc))
        if errors:
            raise ValueError(" ".join(errors))
        return self.model.objects.filter(pk__in=found)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(self.one.render(item) for item in value.all())


# --- results ------------------------------------------------------------------------------------


class CellError:
    """One bad cell: its Excel row, its column header ("" for the row as a whole), the message."""

    def __init__(self, row: int, column: str, message: str):
        self.row, self.column, self.message = row, column, message

    def __str__(self):
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}

    def __repr__(self):
        return f"<CellError {self}>"


class ProgrammeInvalidRow(InvalidRow):
    """A row with errors, numbered as in Excel (``excel_row``) and explained cell by cell."""

    def __init__(self, number, validation_error, values, result):
        super().__init__(number, validation_error, values)
        self.result = result
        self.excel_row = number + 1  # the header is row 1

    @property
    def cell_errors(self) -> list[CellError]:
        errors = []
        for key, messages in self.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else self.result.column_label(key)
            errors.extend(CellError(self.excel_row, column, str(message)) for message in messages)
        return errors


class ProgrammeResult(Result):
    """An import's result that names columns by their header and rows by their Excel number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.column_labels = {}  # field name, attribute or column -> the header shown
        self.diff_columns = []  # the column names of the diff headers, in order

    def column_label(self, key) -> str:
        return self.column_labels.get(key, str(key))

    def append_invalid_row(self, number, row, validation_error):
        values = tuple(row.get(column, "") for column in self.diff_columns)
        self.invalid_rows.append(ProgrammeInvalidRow(number, validation_error, values, self))

    def cell_errors(self) -> list[CellError]:
        """Every error of the import: the sheet's own first, then each bad cell of each row."""
        errors = [CellError(0, "", str(error.error)) for error in self.base_errors]
        for row in self.invalid_rows:
            errors.extend(row.cell_errors)
        return errors

    def messages(self) -> list[str]:
        return [str(error) if error.row else error.message for error in self.cell_errors()]


class SheetError(Exception):
    """An error about the sheet as a whole (a missing column): its message is shown as it is."""


class ProgrammeError(Error):
    """A base error shown without its traceback."""

    @property
    def traceback(self):
        return ""


# --- the preview --------------------------------------------------------------------------------


class ProgrammeDiff:
    """The preview's cells: old → new for each changed cell, the value alone otherwise.

    Values are read through the resource's ``export_field`` (labels, references by key, and
    personal data masked unless the user may see it), not the raw attributes.
    """

    def __init__(self, resource, instance, new):
        self.new = new
        self.left = self._values(resource, None if new else instance)
        self.right = []

    def compare_with(self, resource, instance):
        self.right = self._values(resource, instance)

    @staticmethod
    def _values(resource, instance):
        fields_ = resource.get_import_fields()
        if instance is None:
            return ["" for _field in fields_]
        return [_shown(resource.export_field(field, instance)) for field in fields_]

    def as_html(self):
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            if self.new or old == new:
                cells.append(format_html("{}", new))
            else:
                cells.append(
                    format_html('<del class="old">{}</del> → <ins class="new">{}</ins>', old or "—", new or "—")
                )
        return cells


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return force_str(value)


# --- the resource -------------------------------------------------------------------------------


class ProgrammeResource(resources.ModelResource):
    """Base resource; subclasses set ``Meta.model``, ``fields`` and ``import_id_fields``.

    Model fields get their widgets here (:meth:`field_from_django_field`): choices, yes/no,
    references, numbers and dates as described in the module. ``labels`` names the header of a
    column that is not a model field (``{"birth_year": _("birth year")}``).
    """

    labels: dict = {}

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        use_bulk = False  # row by row, so history and model rules apply to each row
        exclude = ["created_at", "updated_at"]  # kept by the database, not by a sheet

    # -- fields and widgets

    @classmethod
    def widget_for_model_field(cls, django_field):
        """The widget of a model field, or None to keep django-import-export's."""
        if django_field.many_to_many:
            return ReferencesWidget(django_field.related_model)
        if django_field.is_relation:
            return ReferenceWidget(django_field.related_model)
        if getattr(django_field, "choices", None):
            return ChoiceWidget(django_field.flatchoices, allow_blank=not django_field.null)
        if isinstance(django_field, models.BooleanField):
            return YesNoWidget()
        if isinstance(django_field, (models.DecimalField, models.FloatField)):
            return DecimalCellWidget()
        if isinstance(django_field, (models.IntegerField, models.AutoField)):
            return IntegerCellWidget()
        if isinstance(django_field, models.DateTimeField):
            return None
        if isinstance(django_field, models.DateField):
            return DateCellWidget()
        if isinstance(django_field, models.CharField):
            # A nullable text (a unique code that may be missing) reads a blank cell as None.
            return widgets.CharWidget(allow_blank=not django_field.null)
        return None

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        widget = cls.widget_for_model_field(django_field)
        if widget is not None:
            field.widget = widget
            field.attribute = field_name  # a reference is the record, not its id
        return field

    def model_field(self, field):
        """The model field behind a resource field (following ``worker__name``), or None."""
        if not field.attribute:
            return None
        model = self._meta.model
        django_field = None
        for part in field.attribute.split("__"):
            try:
                django_field = model._meta.get_field(part)
            except (FieldDoesNotExist, AttributeError):
                return None
            model = django_field.related_model
        return django_field

    def field_label(self, name, field) -> str:
        """The header of the resource field ``name``: its verbose name, in the user's language."""
        if name in self.labels:
            return force_str(self.labels[name])
        django_field = self.model_field(field)
        if django_field is not None:
            if django_field.primary_key:
                return _("record ID")
            return force_str(django_field.verbose_name)
        return force_str(field.column_name or name)

    def _names_and_fields(self):
        return list(self.fields.items())

    def column_labels(self) -> dict:
        """Field name, attribute and column name -> the header shown."""
        labels = {}
        for name, field in self._names_and_fields():
            label = self.field_label(name, field)
            for key in (field.attribute, field.column_name, name):
                if key:
                    labels.setdefault(key, label)
        return labels

    def header_aliases(self) -> dict:
        """Every header a sheet may use for a column (normalised) -> its column name."""
        aliases = {}
        for name, field in self._names_and_fields():
            if not field.column_name:
                continue
            texts = {_norm(field.column_name), _norm(name)}
            label = self.labels.get(name)
            django_field = self.model_field(field)
            if label is None and django_field is not None:
                label = _("record ID") if django_field.primary_key else django_field.verbose_name
            if label is not None:
                texts |= _labels(label)
                if django_field is not None and django_field.primary_key:
                    texts |= _labels(_record_id_lazy())
            for text in texts:
                aliases.setdefault(text, field.column_name)
        return aliases

    def get_export_headers(self, selected_fields=None):
        names = {id(field): name for name, field in self.fields.items()}
        return [
            self.field_label(names.get(id(field), field.column_name), field)
            for field in self.get_export_fields(selected_fields)
        ]

    def get_diff_headers(self):
        names = {id(field): name for name, field in self.fields.items()}
        return [self.field_label(names.get(id(field), field.column_name), field) for field in self.get_import_fields()]

    def get_user_visible_fields(self):
        # The admin's import and export pages list the columns by ``column_name``: show headers.
        names = {id(field): name for name, field in self.fields.items()}
        shown = []
        for field in super().get_user_visible_fields():
            field = copy.copy(field)
            field.column_name = self.field_label(names.get(id(field), field.column_name), field)
            shown.append(field)
        return shown

    @classmethod
    def get_display_name(cls):
        return force_str(cls._meta.model._meta.verbose_name_plural) if cls._meta.model else cls.__name__

    # -- export

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = sheet_title(self._meta.model._meta.verbose_name_plural)
        return dataset

    # -- import

    def get_result_class(self):
        # The result knows the headers from the start: an invalid row keeps its cells by column.
        def make():
            result = ProgrammeResult()
            self._describe(result)
            return result

        return make

    @classmethod
    def get_error_result_class(cls):
        return ProgrammeError

    @classmethod
    def get_diff_class(cls):
        return ProgrammeDiff

    def normalise_dataset(self, dataset) -> tablib.Dataset:
        """The sheet with its headers turned into column names (a label, a field name or a
        code all name the same column); unknown columns are kept and ignored."""
        aliases = self.header_aliases()
        headers = []
        for header in dataset.headers or []:
            if is_blank(header):
                headers.append(f"__blank_{len(headers)}")
                continue
            headers.append(aliases.get(_norm(_text(header)), _text(header)))
        duplicates = sorted({h for h in headers if headers.count(h) > 1 and not h.startswith("__blank_")})
        if duplicates:
            labels = self.column_labels()
            raise SheetError(
                _("These columns appear more than once: %(columns)s.")
                % {"columns": _join(f"“{labels.get(h, h)}”" for h in duplicates)}
            )
        normalised = tablib.Dataset(headers=headers, title=dataset.title)
        for row in dataset:
            if all(is_blank(cell) for cell in row):
                # A blank line (a template's unused rows): not a record. Kept as a blank row, so
                # that row numbers stay those of the sheet; import_row skips it.
                normalised.append(["" for _cell in row])
                continue
            normalised.append(list(row))
        return normalised

    def check_columns(self, dataset) -> None:
        """Refuse a sheet that lacks a column needed to find the stored records."""
        labels = self.column_labels()
        headers = set(dataset.headers or [])
        known = {field.column_name for field in self.fields.values()}
        if not headers & known:
            raise SheetError(
                _("None of the columns is one of this sheet's. The columns are: %(columns)s.")
                % {"columns": _join(f"“{label}”" for label in self.get_export_headers())}
            )
        if self.get_import_id_fields() == ["id"]:
            return
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in headers
        ]
        if missing:
            raise SheetError(
                _("The sheet lacks the columns that identify a record: %(columns)s.")
                % {"columns": _join(f"“{labels.get(c, c)}”" for c in missing)}
            )

    # -- the user's scope (CONTRACT.md 1.1)

    def scope_user(self):
        """The user the import or export is for: the ``user`` given to ``import_data`` (the
        admin passes the request's), else one the resource was made with (None: no scope)."""
        return getattr(self, "_import_user", None) or getattr(self, "user", None)

    def get_queryset(self):
        # The stored records a row may update (and an export without a queryset): only those
        # the user may read. The admin's export already hands over its scoped changelist.
        return scoped(super().get_queryset(), self.scope_user())

    def outside_scope_error(self) -> ValidationError:
        """A row naming a stored record the user may not change: under its identifying column."""
        labels = self.column_labels()
        names = list(self.get_import_id_fields())
        message = _("A stored %(kind)s with this %(keys)s lies outside your scope: you may not change it.") % {
            "kind": self._meta.model._meta.verbose_name,
            "keys": _join(labels.get(self.fields[name].attribute, name) for name in names),
        }
        return ValidationError({self.fields[names[-1]].attribute: [message]})

    def _stored_instance(self, row):
        """The stored record ``row``'s identifying cells name, whatever the user's scope (None:
        none, or the cells cannot be read)."""
        params = {}
        try:
            for name in self.get_import_id_fields():
                field = self.fields[name]
                if field.column_name not in row:
                    return None
                value = field.clean(row)
                if value in (None, ""):
                    return None
                params[field.attribute] = value
        except (ValueError, TypeError, ArithmeticError, ValidationError, ObjectDoesNotExist):
            return None
        return self._meta.model._default_manager.filter(**params).first() if params else None

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        self._stored_outside_scope = False
        scope = scope_of(self.scope_user())
        if scope.unrestricted:
            return instance, new
        if new and self._stored_instance(row) is not None:
            # The scoped lookup missed a stored record: creating it would be a duplicate.
            raise self.outside_scope_error()
        if not new and not scope.can_write(instance):
            # Readable but not the user's to change (a region above the scope): refused in
            # validate_instance, so that an exported row left as it was still reads "unchanged".
            self._stored_outside_scope = True
        return instance, new

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        scope = scope_of(self.scope_user())
        if getattr(self, "_stored_outside_scope", False):
            errors = self.outside_scope_error().update_error_dict(errors)
        elif not scope.unrestricted:
            # A cell that could not be read is reported as such, not again as "outside".
            for name, message in scope.record_error(instance).items():
                if name not in errors:
                    errors[name] = [message]
        if errors:
            raise ValidationError(errors)

    def import_data(self, dataset, *args, **kwargs):
        # All rows or none, also outside the admin: a row that fails validation rolls back all.
        kwargs.setdefault("rollback_on_validation_errors", True)
        self._import_user = kwargs.get("user")
        try:
            dataset = self.normalise_dataset(dataset)
            self.check_columns(dataset)
        except SheetError as exc:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(self.get_error_result_class()(exc))
            self._describe(result)
            return result
        result = super().import_data(dataset, *args, **kwargs)
        blank = [row for row in result.rows if getattr(row, "blank_line", False)]
        if blank:
            result.rows = [row for row in result.rows if not getattr(row, "blank_line", False)]
            result.totals[blank[0].IMPORT_TYPE_SKIP] -= len(blank)
            result.total_rows -= len(blank)
        self._describe(result)
        return result

    def _describe(self, result):
        result.column_labels = self.column_labels()
        result.diff_headers = self.get_diff_headers()
        result.diff_columns = [field.column_name for field in self.get_import_fields()]

    def import_row(self, row, instance_loader, **kwargs):
        if all(is_blank(value) for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = row_result.IMPORT_TYPE_SKIP
            row_result.blank_line = True
            return row_result
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.excel_row = kwargs.get("row_number", 0) + 1
        if row_result.errors:
            # An unexpected failure: logged for us; the user sees a sentence, not the exception.
            for error in row_result.errors:
                logger.error("import row %s failed", kwargs.get("row_number"), exc_info=error.error)
            row_result.errors = []
            row_result.import_type = row_result.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(
                _("This row could not be saved. Check its values, or ask an administrator.")
            )
        return row_result

    def get_instance(self, instance_loader, row):
        # A key cell that cannot be read (an unknown choice, a bad date): no stored record is
        # found, and import_instance reports that cell along with every other bad one.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, TypeError, ArithmeticError, ValidationError):
            return None

    def import_instance(self, instance, row, **kwargs):
        # Every bad cell of the row, not only the first: each field's error is collected.
        errors = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValidationError as exc:
                errors[field.attribute] = exc.messages
            except (ValueError, TypeError, ArithmeticError, ObjectDoesNotExist) as exc:
                errors[field.attribute] = [self.cell_message(field, exc)]
        if errors:
            raise ValidationError(errors)

    def cell_message(self, field, exc) -> str:
        """What a user reads about a cell that could not be read."""
        if isinstance(exc, ValueError) and not isinstance(exc, (InvalidOperation,)) and exc.args:
            text = str(exc.args[0])
            if isinstance(field.widget, (ChoiceWidget, YesNoWidget, ReferenceWidget, NumberCellWidget, DateCellWidget)):
                return text
        return _("This value cannot be read.")

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A blank cell in a row that updates a stored record keeps the stored value.
        if instance.pk and field.column_name in row and is_blank(row[field.column_name]):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        try:
            super().save_m2m(instance, row, **kwargs)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def save_instance(self, instance, is_create, row, **kwargs):
        # A savepoint per row: a database error (a duplicate) is reported on its row and leaves
        # the transaction usable for the rows after it.
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                super().save_instance(instance, is_create, row, **kwargs)
        except IntegrityError:
            logger.info("import row refused by the database", exc_info=True)
            raise ValidationError(_("This row conflicts with a stored record (a duplicate).")) from None

    # -- the template

    def template_columns(self):
        """(name, field) of the template's columns: the export's columns, in the export order."""
        names = {id(field): name for name, field in self.fields.items()}
        return [(names.get(id(field), field.column_name), field) for field in self.get_export_fields()]

    def column_help(self, name, field) -> tuple[str, str, str]:
        """(what to enter, required or not, notes) of a column, for the explanation sheet."""
        widget = field.widget
        django_field = self.model_field(field)
        if field.readonly or (django_field is not None and django_field.primary_key):
            if django_field is not None and django_field.primary_key:
                what = _("Leave blank for a new record; keep it to update the stored one.")
            else:
                what = _("Shown in exports only; ignored on import.")
            return what, _("no"), ""
        if isinstance(widget, ChoiceWidget):
            what = _("One of: %(values)s (the code is accepted too).") % {"values": _join(widget.accepted_values())}
        elif isinstance(widget, YesNoWidget):
            what = _("One of: %(values)s.") % {"values": _join(widget.accepted_values())}
        elif isinstance(widget, ReferenceWidget):
            what = _("The %(keys)s of a stored %(kind)s.") % {
                "keys": _(" or ").join(widget.key_labels()),
                "kind": widget.model._meta.verbose_name,
            }
        elif isinstance(widget, ReferencesWidget):
            what = _("Several %(kind)s separated by “、”.") % {"kind": widget.model._meta.verbose_name_plural}
        elif isinstance(widget, DateCellWidget) and widget.template_date:
            what = _("A date (YYYY-MM-DD).")
        elif isinstance(widget, DateCellWidget):
            what = _("A month (YYYY-MM).")
        elif isinstance(widget, IntegerCellWidget):
            what = _("A whole number.")
        elif isinstance(widget, DecimalCellWidget):
            what = _("A number.")
        else:
            what = _("Text.")
        required = False
        notes = ""
        if django_field is not None:
            required = not django_field.blank and not django_field.has_default()
            notes = force_str(django_field.help_text or "")
        if name in self.get_import_id_fields() and self.get_import_id_fields() != ["id"]:
            required = True
            notes = (notes + " " + _("Identifies the record: a row with stored values updates it.")).strip()
        return what, _("yes") if required else _("no"), notes

    def template_workbook(self) -> bytes:
        """An empty sheet of this record kind with data validation, and a sheet explaining it."""
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter, quote_sheetname
        from openpyxl.worksheet.datavalidation import DataValidation

        from cooperation.spreadsheets import cells_as_text

        columns = self.template_columns()
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = sheet_title(self._meta.model._meta.verbose_name_plural)
        help_sheet = workbook.create_sheet(sheet_title(_("How to fill in")))
        lists = workbook.create_sheet(sheet_title(_("Lists")))
        lists.sheet_state = "hidden"

        help_sheet.append([_("column"), _("what to enter"), _("required"), _("notes")])
        for cell in help_sheet[1]:
            cell.font = Font(bold=True)
        last = TEMPLATE_ROWS + 1
        for index, (name, field) in enumerate(columns, 1):
            label = self.field_label(name, field)
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index, value=label)
            cell.font = Font(bold=True)
            sheet.column_dimensions[letter].width = max(12, min(40, len(label) * 2 + 4))
            what, required, notes = self.column_help(name, field)
            help_sheet.append([label, what, required, notes])
            area = f"{letter}2:{letter}{last}"
            widget = field.widget
            validation = None
            if field.readonly:
                pass
            elif isinstance(widget, (ChoiceWidget, YesNoWidget)):
                values = widget.accepted_values()
                for row_index, value in enumerate(values, 1):
                    lists.cell(row=row_index, column=index, value=value)
                source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${max(1, len(values))}"
                validation = DataValidation(type="list", formula1=source, allow_blank=True)
                validation.error = _("Choose a value from the list.")
            elif isinstance(widget, DateCellWidget) and widget.template_date:
                validation = DataValidation(
                    type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)"
                )
                validation.allow_blank = True
                validation.error = _("Enter a date (YYYY-MM-DD).")
                for row_index in range(2, last + 1):
                    sheet.cell(row=row_index, column=index).number_format = "yyyy-mm-dd"
            elif isinstance(widget, IntegerCellWidget):
                validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="-1000000000000")
                validation.allow_blank = True
                validation.error = _("Enter a whole number.")
            elif isinstance(widget, DecimalCellWidget):
                validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="-1000000000000000")
                validation.allow_blank = True
                validation.error = _("Enter a number.")
            if validation is not None:
                validation.errorTitle = label
                validation.showErrorMessage = True
                validation.prompt = what
                validation.showInputMessage = True
                validation.add(area)
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
        help_sheet.column_dimensions["A"].width = 24
        help_sheet.column_dimensions["B"].width = 60
        help_sheet.column_dimensions["D"].width = 50
        for worksheet in (sheet, help_sheet, lists):
            cells_as_text(worksheet)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def _record_id_lazy():
    return gettext_lazy("record ID")


def region_scope(column: str):
    """A ``scope`` for :class:`ReferenceWidget`: records whose ``column`` region is the row's
    (the row's cell holds the region's code or name)."""

    def scope(row):
        value = row.get(column)
        if is_blank(value):
            return None
        text = _text(value)
        return Q(**{f"{column}__code": text}) | Q(**{f"{column}__name": text})

    return scope


# Re-exported for the apps' resources.
Field = fields.Field
