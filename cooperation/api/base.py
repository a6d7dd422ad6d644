"""Serializer and viewset bases of every endpoint.

The serializer validates through the model (``full_clean``), so that the admin and the API
agree; the viewset carries the shared behaviour so that each domain viewset is a few
declarative lines.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, viewsets

from cooperation.api.exceptions import django_error_detail


class ProgrammeSerializer(serializers.ModelSerializer):
    """A ModelSerializer that validates through the model, so the admin and the API agree.

    ``validate()`` builds the would-be instance and runs ``full_clean()`` (field validators,
    ``clean()`` and the named database constraints); its messages come back as the contract's
    400 body. Cross-row rules are not here: the viewset's ``perform_create``/``perform_update``
    call the app's services for those.
    """

    def get_validators(self):
        # full_clean() below checks unique_together and the unique constraints with the model's
        # own messages (naming the field where the model does); DRF's generated copies of those
        # checks would answer first, under non_field_errors.
        return []

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
        # clean() may normalise values (blank codes to None...): keep what it decided.
        concrete = {f.name for f in instance._meta.concrete_fields}
        for key in attrs:
            if key in concrete:
                attrs[key] = getattr(instance, key)
        return attrs


class ProgrammeViewSet(viewsets.ModelViewSet):
    """Base of every record endpoint.

    Subclasses set ``queryset`` (from the app's selectors), ``serializer_class``,
    ``filterset_class``, ``search_fields`` and ``ordering_fields``. Authentication, model
    permissions, pagination, filtering, ordering, search and the error format come from the
    project's REST_FRAMEWORK settings.
    """

    ordering = ["-id"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
