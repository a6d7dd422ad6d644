"""The list endpoints' rows, without DRF's per-request and per-row serializer machinery.

A list page spent more time in ``ListSerializer.to_representation`` than in SQL: DRF builds the
serializer's fields anew for every request (a deep copy of the declared fields, then one
``build_field`` per model field), and for every row and field it walks the generic
``get_attribute``, the ``None`` check and ``to_representation``. A *flat* serializer (every
readable field a DRF field of a known class, reading an attribute or a dotted path of the
record) is compiled here once per class into ``(name, getter, converter)`` triples:

- the getter reads what DRF's ``field.get_attribute`` reads (a reference: its id column);
- the converter is the field's own ``to_representation``, bound once (the standard fields'
  output depends only on their arguments), or what the field's ``represent_for(request)``
  returns when its output depends on the requesting user (personal data); a decimal's is DRF's
  conversion with the constants DRF rebuilds on every call (the quantum, a copy of the decimal
  context) built once per request;
- ``None`` stays ``None`` without a conversion, as DRF does.

Where every column reads one column or annotation of the list's query, the records are read as
``values()`` dicts rather than model instances (building the instances cost as much as the SQL).

So the rows are the dicts DRF gives, by DRF's own conversions; ``tests/cooperation/
test_list_rows.py`` compares them with DRF's output on every list endpoint. A serializer with
anything else (nested serializers, method fields, files, an own ``to_representation``) is not
compiled: its list goes through DRF as before.
"""

import decimal
import functools
import operator
from collections.abc import Callable, Iterable

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField, empty
from rest_framework.settings import api_settings

# Fields whose to_representation reads only the field's own arguments (no context, no request):
# bound once per serializer class, they convert every request's rows.
_PURE_FIELDS = frozenset(
    {
        fields.BigIntegerField,
        fields.BooleanField,
        fields.CharField,
        fields.ChoiceField,
        fields.DateField,
        fields.DateTimeField,
        fields.DecimalField,
        fields.DurationField,
        fields.EmailField,
        fields.FloatField,
        fields.IntegerField,
        fields.JSONField,
        fields.ReadOnlyField,
        fields.SlugField,
        fields.TimeField,
        fields.URLField,
        fields.UUIDField,
    }
)


def _pure_relation(field) -> bool:
    """A reference given by its id or slug, by DRF's own conversion (subclasses included: the
    scoped reference only narrows what a write accepts)."""
    return any(
        isinstance(field, base) and type(field).to_representation is base.to_representation
        for base in (relations.PrimaryKeyRelatedField, relations.SlugRelatedField)
    )


def _reference_id(value):
    """A reference's id: the id column as read (the fast getter), or the ``pk`` of what DRF's
    own ``get_attribute`` gives (its ``PKOnlyObject``, or the related row)."""
    return getattr(value, "pk", value)


def _decimal_conversion(field) -> Callable:
    """DRF's ``DecimalField.to_representation`` as a string (``COERCE_DECIMAL_TO_STRING``), with
    what it builds on each call built once: the quantum and the context, a copy of the current
    one with the field's precision, as DRF copies it (so, once per request)."""
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    quantum = decimal.Decimal(".1") ** field.decimal_places
    rounding, normalize = field.rounding, field.normalize_output

    def convert(value):
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value).strip())
        quantized = value.quantize(quantum, rounding=rounding, context=context)
        if normalize:
            quantized = quantized.normalize()
        return f"{quantized:f}"

    return convert


def _plain_decimal(field) -> bool:
    """A decimal given as DRF's plain string (not localised, not a subclass, places fixed)."""
    return (
        type(field) is fields.DecimalField
        and field.decimal_places is not None
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not field.localize
    )


class _Column:
    """One output field: its name, how to read it from a record, how to convert it (a
    conversion, or ``for_request(request)`` giving the request's), and ``source``, the name
    ``QuerySet.values()`` gives its value under when it reads one attribute (else None)."""

    __slots__ = ("converter", "for_request", "getter", "name", "source")

    def __init__(self, name: str, read: tuple[Callable, str | None], converter: Callable | None, for_request=None):
        self.name = name
        self.getter, self.source = read
        self.converter = converter
        self.for_request = for_request


def _getter(field, model) -> tuple[Callable, str | None]:
    """What DRF's ``field.get_attribute(record)`` reads, read faster where it is one attribute
    (anything unusual on the way, a callable or a missing attribute, is left to DRF's own); and
    that attribute's name as ``values()`` gives it (a reference: its id, under the field's name),
    None when DRF's own getter reads."""
    attrs = field.source_attrs
    if len(attrs) != 1 or field.default is not empty:
        return field.get_attribute, None
    name = attrs[0]
    if isinstance(field, relations.PrimaryKeyRelatedField):
        # DRF's pk-only optimisation reads ``serializable_value``: the reference's id column.
        try:
            name = model._meta.get_field(name).attname
        except FieldDoesNotExist:  # not a model field (an annotation): read as DRF does
            return field.get_attribute, None
    read = operator.attrgetter(name)

    def getter(record):
        try:
            value = read(record)
        except (AttributeError, KeyError):
            return field.get_attribute(record)
        return field.get_attribute(record) if callable(value) else value

    return getter, attrs[0]


def _column(name: str, field, model) -> _Column | None:
    read = _getter(field, model)
    represent_for = getattr(field, "represent_for", None)
    if represent_for is not None:
        return _Column(name, read, None, represent_for)
    if _plain_decimal(field):
        return _Column(name, read, None, lambda _request: _decimal_conversion(field))
    kind = type(field)
    if isinstance(field, relations.PrimaryKeyRelatedField) and _pure_relation(field):
        pk_field = field.pk_field
        if pk_field is None:
            return _Column(name, read, _reference_id)
        return _Column(name, read, lambda v: pk_field.to_representation(_reference_id(v)))
    if kind in _PURE_FIELDS:
        return _Column(name, read, field.to_representation)
    if isinstance(field, relations.SlugRelatedField) and _pure_relation(field):
        return _Column(name, (field.get_attribute, None), field.to_representation)  # the related row's slug
    if kind is relations.ManyRelatedField and _pure_relation(field.child_relation):
        return _Column(name, (field.get_attribute, None), field.to_representation)  # ids of the related rows
    return None  # not known to be request-independent: DRF serialises the list


class ListRows:
    """The compiled rows of one flat serializer class (see the module docstring)."""

    def __init__(self, columns: list[_Column], model):
        self.columns = columns
        self.model = model

    def values(self, queryset):
        """``queryset`` as ``values()`` dicts when every column reads one of its columns or
        annotations (a model field, read as the record's attribute would give it, a reference
        as its id): no model instance is built for a row that is only read. None when a column
        reads anything else (a property, a related row, a dotted path)."""
        concrete = {field.name for field in self.model._meta.concrete_fields}
        annotations = queryset.query.annotation_select
        names = [column.source for column in self.columns]
        if not all(name in concrete or name in annotations for name in names):
            return None
        pk = self.model._meta.pk.name
        return queryset.values(*names, *([] if pk in names else [pk]))  # the keyset pages read the id

    def represent(self, records: Iterable, request, *, values: bool = False) -> list[dict]:
        """The serializer's ``many=True`` output for ``records`` (model instances, or the dicts of
        :meth:`values` when ``values``), as the requesting user sees it."""
        columns = [
            (
                column.name,
                operator.itemgetter(column.source) if values else column.getter,
                column.converter if column.converter is not None else column.for_request(request),
            )
            for column in self.columns
        ]
        rows = []
        for record in records:
            row = {}
            for name, getter, convert in columns:
                try:
                    value = getter(record)
                except SkipField:
                    continue
                row[name] = None if value is None else convert(value)
            rows.append(row)
        return rows


@functools.cache
def list_rows(serializer_class) -> ListRows | None:
    """The compiled rows of ``serializer_class``, or None when it is not flat (DRF serialises)."""
    if not issubclass(serializer_class, serializers.Serializer):
        return None
    if serializer_class.to_representation is not serializers.Serializer.to_representation:
        return None  # an own representation: only DRF knows it
    serializer = serializer_class()
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue  # not read back
        if field.source == "*" or model is None:
            return None
        column = _column(name, field, model)
        if column is None:
            return None
        columns.append(column)
    return ListRows(columns, model)
