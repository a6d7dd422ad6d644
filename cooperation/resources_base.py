"""Spreadsheet import and export base (django-import-export), reused by every app.

What every import gets from here:
- ``.xlsx`` and ``.csv`` (settings ``IMPORT_EXPORT_FORMATS``), with a dry-run preview in the
  admin before anything is written;
- every row checked with the model's ``full_clean()``, errors named by row and column;
- all rows or none: the import runs in one transaction (``IMPORT_EXPORT_USE_TRANSACTIONS``)
  and the admin refuses to confirm while any row has an error;
- on update, a blank cell keeps the stored value instead of wiping it;
- each written row leaves an audit record (django-simple-history, through ``save()``).
"""

from import_export import resources


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


class ProgrammeResource(resources.ModelResource):
    """Base resource; subclasses set ``Meta.model``, ``fields`` and ``import_id_fields``."""

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        use_bulk = False  # row by row, so history and model rules apply to each row

    def import_data(self, *args, **kwargs):
        # All rows or none, also outside the admin: a row that fails validation rolls back all.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(*args, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A blank cell in a row that updates a stored record keeps the stored value.
        if instance.pk and field.column_name in row and is_blank(row[field.column_name]):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)
