"""Serializer and viewset bases of every endpoint.

The serializer validates through the model (``full_clean``), so that the admin and the API
agree; the viewset carries the shared behaviour so that each domain viewset is a few
declarative lines.
"""

import functools
import re

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cooperation.api.exceptions import django_error_detail
from cooperation.api.rows import list_rows
from cooperation.constraints import constraint_errors
from cooperation.scopes import scope_of, scoped


def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id that accepts only records the requesting user may read (their
    scope, :mod:`cooperation.scopes`): one outside it is "does not exist", as a missing one."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return scoped(queryset, _request_user(self))


class ProgrammeSerializer(serializers.ModelSerializer):
    """A ModelSerializer that validates through the model, so the admin and the API agree.

    ``validate()`` builds the would-be instance and runs ``full_clean()`` (field validators,
    ``clean()`` and the named database constraints); its messages come back as the contract's
    400 body. Cross-row rules are not here: the viewset runs the write through the app's
    declared services (``create_service``...), which hold them.
    """

    def get_validators(self):
        # full_clean() below checks unique_together and the unique constraints with the model's
        # own messages (naming the field where the model does); DRF's generated copies of those
        # checks would answer first, under non_field_errors.
        return []

    def build_relational_field(self, field_name, relation_info):
        field_class, field_kwargs = super().build_relational_field(field_name, relation_info)
        # A reference limited to one side (``limit_choices_to``: the admin's pickers offer only
        # that side) accepts any existing row here, so that full_clean() refuses the other side
        # with the model's message ("must be on the western side") rather than DRF's "object
        # does not exist".
        model_field = relation_info.model_field
        if "queryset" in field_kwargs and model_field is not None and model_field.remote_field.limit_choices_to:
            field_kwargs["queryset"] = relation_info.related_model._default_manager.all()
        if field_class is serializers.PrimaryKeyRelatedField:
            field_class = ScopedPrimaryKeyRelatedField
        return field_class, field_kwargs

    def build_instance(self, attrs):
        model = self.Meta.model
        concrete = {f.name for f in model._meta.concrete_fields}
        values = {k: v for k, v in attrs.items() if k in concrete}
        if self.instance is not None:
            instance = model.objects.get(pk=self.instance.pk)
            for key, value in values.items():
                setattr(instance, key, value)
            return instance
        return model(**values)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.build_instance(attrs)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_error_detail(exc)) from None
        outside = scope_of(_request_user(self)).record_error(instance)
        if outside:
            raise serializers.ValidationError({name: [str(message)] for name, message in outside.items()})
        # clean() may normalise values (blank codes to None...): keep what it decided.
        concrete = {f.name for f in instance._meta.concrete_fields}
        for key in attrs:
            if key in concrete:
                attrs[key] = getattr(instance, key)
        return attrs


@functools.cache
def _references_by_id_only(serializer_class) -> bool:
    """Whether ``serializer_class`` reads no related object: every field is the model's own
    column (or a part of one, such as ``birth_date.year``) or a reference given by its id
    (nothing across a relation, no method or nested serializer)."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    for field in serializer_class().fields.values():
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            continue
        if isinstance(field, (serializers.BaseSerializer, serializers.SerializerMethodField, serializers.RelatedField)):
            return False
        if "." in (field.source or "") and not _own_column(model, field.source.split(".")[0]):
            return False
    return True


def _own_column(model, name: str) -> bool:
    try:
        return not model._meta.get_field(name).is_relation
    except (AttributeError, FieldDoesNotExist):  # no model, or not a field of it
        return False


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ProgrammeViewSet(viewsets.ModelViewSet):
    """Base of every record endpoint.

    Subclasses set ``queryset`` (from the app's selectors), ``serializer_class``,
    ``filterset_class``, ``search_fields`` and ``ordering_fields``, and the app's services
    that hold a write's rules across rows: ``create_service(**fields)``,
    ``update_service(<record>=instance, **fields)``, ``delete_service(<record>=instance)``,
    where ``<record>`` is the model's name in snake case (``fund_allocation``). Without a
    service the serializer saves (``full_clean`` has run). Every write runs in one transaction;
    a constraint lost to a concurrent request is a 400 naming its field; the answer is the
    record re-read through ``get_queryset()``. Authentication, model permissions,
    pagination, filtering, ordering, search and the error format come from the project's
    REST_FRAMEWORK settings.
    """

    ordering = ["-id"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    create_service = None
    update_service = None
    delete_service = None

    def get_queryset(self):
        """The declared queryset, narrowed to the requesting user's scope (out of it: 404).

        A read whose serializer gives every reference by id only drops the selector's
        ``select_related``: DRF reads an id from the row's own column, so the joined objects
        would be built for nothing (on a page of 100 projects, 200 objects never shown)."""
        qs = scoped(super().get_queryset(), self.request.user)
        if self.request.method in ("GET", "HEAD") and _references_by_id_only(self.get_serializer_class()):
            qs = qs.select_related(None)
        return qs

    def list(self, request, *args, **kwargs):
        """DRF's list; a flat serializer's rows come from its compiled columns
        (:mod:`cooperation.api.rows`: the same dicts, without DRF's per-row machinery), read as
        ``values()`` where the columns allow it."""
        rows = list_rows(self.get_serializer_class())
        if rows is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        values = rows.values(queryset)
        records = queryset if values is None else values
        page = self.paginate_queryset(records)
        data = rows.represent(records if page is None else page, request, values=values is not None)
        return Response(data) if page is None else self.get_paginated_response(data)

    def _record_kwarg(self) -> str:
        return _snake(self.get_queryset().model._meta.object_name)

    def _refetch(self, instance):
        return self.get_queryset().get(pk=instance.pk)

    def perform_create(self, serializer):
        service = type(self).create_service
        with transaction.atomic(), constraint_errors():
            instance = service(**serializer.validated_data) if service else serializer.save()
        serializer.instance = self._refetch(instance)

    def perform_update(self, serializer):
        service = type(self).update_service
        with transaction.atomic(), constraint_errors():
            if service:
                instance = service(**{self._record_kwarg(): serializer.instance}, **serializer.validated_data)
            else:
                instance = serializer.save()
        serializer.instance = self._refetch(instance)

    def perform_destroy(self, instance):
        if not scope_of(self.request.user).can_write(instance):
            # Readable (a region above the scope, a pairing with one side in it) but not the user's to delete.
            raise PermissionDenied(_("This record lies outside your scope: you may read it but not delete it."))
        service = type(self).delete_service
        with transaction.atomic(), constraint_errors():
            if service:
                service(**{self._record_kwarg(): instance})
            else:
                instance.delete()
