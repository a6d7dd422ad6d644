"""One mapper from a database constraint a write lost (``IntegrityError``) to the field and the
message a person or a client sees.

Model validation (``full_clean``) catches duplicates first; what reaches the database is the
race in which two requests pass validation at once. The refused constraint is found by its name
(PostgreSQL's diagnostics, never the text of the error) among the models' declared constraints.
Its ``violation_error_message`` is the message, never a value. The field is the constraint's
last field, unless the model names another in ``constraint_fields`` (``{name: field}``: the
worker's ID number behind its search hash).
"""

from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, router, transaction
from django.utils.translation import gettext_lazy as _

CONFLICT = _("This record conflicts with one stored at the same moment.")
REFERENCE_CHANGED = _("A referenced record was changed meanwhile; send the request again.")


def _constraint_name(exc: IntegrityError) -> str | None:
    return getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)


def _declared(name: str):
    """(model, constraint) of the named constraint, or (model, field) of a ``unique=True``
    column (PostgreSQL names it ``<table>_<column>_key``), or (None, None)."""
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key and name == f"{model._meta.db_table}_{field.column}_key":
                return model, field
    return None, None


def constraint_field(model, constraint) -> str:
    """The field a refused constraint is reported under: the model's ``constraint_fields``
    entry, else the constraint's last field, else none (``__all__``)."""
    named = getattr(model, "constraint_fields", {}).get(constraint.name)
    if named:
        return named
    fields = getattr(constraint, "fields", None)
    return fields[-1] if fields else NON_FIELD_ERRORS


def validate_constraints_by_field(instance, exclude=None) -> None:
    """``Model.validate_constraints`` with each refused constraint under its field (see
    :func:`constraint_field`), as :func:`integrity_error` reports the same constraint when a
    racing request reaches the database first: a form and a client see one answer."""
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as exc:
                errors.setdefault(constraint_field(model_class, constraint), []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)


def integrity_error(exc: IntegrityError) -> ValidationError:
    """The ValidationError a client sees for a write the database refused."""
    name = _constraint_name(exc)
    sqlstate = getattr(exc.__cause__, "pgcode", None)
    if sqlstate == "23503":  # foreign_key_violation: a referenced row was deleted meanwhile
        return ValidationError({NON_FIELD_ERRORS: [REFERENCE_CHANGED]})
    model, declared = _declared(name) if name else (None, None)
    if model is None:
        return ValidationError({NON_FIELD_ERRORS: [CONFLICT]})
    if hasattr(declared, "violation_error_message"):
        return ValidationError({constraint_field(model, declared): [declared.get_violation_error_message()]})
    # A unique column: Django's own message for it.
    message = declared.error_messages["unique"] % {
        "model_name": model._meta.verbose_name,
        "field_label": declared.verbose_name,
    }
    return ValidationError({declared.name: [message]})


@contextmanager
def constraint_errors():
    """Runs a write in a savepoint; a constraint the database refuses becomes a ValidationError
    naming the field (so the admin shows a form error and the API a 400)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise integrity_error(exc) from None
