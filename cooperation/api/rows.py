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
  returns when its output depends on the requesting user (personal data);
- ``None`` stays ``None`` without a conversion, as DRF does.

So the rows are the dicts DRF gives, by DRF's own conversions; ``tests/cooperation/
test_list_rows.py`` compares them with DRF's output on every list endpoint. A serializer with
anything else (nested serializers, method fields, files, an own ``to_representation``) is not
compiled: its list goes through DRF as before.
"""

import functools
import operator
from collections.abc import Callable, Iterable

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField, empty

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


class _Column:
    """One output field: its name, how to read it from a record, how to convert it."""

    __slots__ = ("converter", "field", "getter", "name")

    def __init__(self, name: str, getter: Callable, field, converter: Callable | None):
        self.name = name
        self.getter = getter
        self.field = field
        self.converter = converter  # None: asked of the field per request (represent_for)


def _getter(field, model) -> Callable:
    """What DRF's ``field.get_attribute(record)`` reads, read faster where it is one attribute
    (anything unusual on the way, a callable or a missing attribute, is left to DRF's own)."""
    attrs = field.source_attrs
    if len(attrs) != 1 or field.default is not empty:
        return field.get_attribute
    name = attrs[0]
    if isinstance(field, relations.PrimaryKeyRelatedField):
        # DRF's pk-only optimisation reads ``serializable_value``: the reference's id column.
        try:
            name = model._meta.get_field(name).attname
        except FieldDoesNotExist:  # not a model field (an annotation): read as DRF does
            return field.get_attribute
    read = operator.attrgetter(name)

    def getter(record):
        try:
            value = read(record)
        except (AttributeError, KeyError):
            return field.get_attribute(record)
        return field.get_attribute(record) if callable(value) else value

    return getter


def _column(name: str, field, model) -> _Column | None:
    represent_for = getattr(field, "represent_for", None)
    if represent_for is not None:
        return _Column(name, _getter(field, model), field, None)
    kind = type(field)
    if isinstance(field, relations.PrimaryKeyRelatedField) and _pure_relation(field):
        pk_field = field.pk_field
        if pk_field is None:
            return _Column(name, _getter(field, model), field, _reference_id)
        return _Column(name, _getter(field, model), field, lambda v: pk_field.to_representation(_reference_id(v)))
    if kind in _PURE_FIELDS:
        return _Column(name, _getter(field, model), field, field.to_representation)
    if isinstance(field, relations.SlugRelatedField) and _pure_relation(field):
        return _Column(name, field.get_attribute, field, field.to_representation)  # the related row's slug
    if kind is relations.ManyRelatedField and _pure_relation(field.child_relation):
        return _Column(name, field.get_attribute, field, field.to_representation)  # ids of the related rows
    return None  # not known to be request-independent: DRF serialises the list


class ListRows:
    """The compiled rows of one flat serializer class (see the module docstring)."""

    def __init__(self, columns: list[_Column]):
        self.columns = columns

    def represent(self, records: Iterable, request) -> list[dict]:
        """The serializer's ``many=True`` output for ``records``, as the requesting user sees it."""
        columns = [
            (
                column.name,
                column.getter,
                column.converter if column.converter is not None else column.field.represent_for(request),
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
    return ListRows(columns)
