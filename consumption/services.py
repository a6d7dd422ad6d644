"""Writes of consumption assistance that go beyond one row: the bulk upsert of sales.

A single sale needs no service: its only rule across rows is the (source, external_id) key,
a named constraint that ``full_clean()`` checks and the viewset's ``constraint_errors()`` maps
when a concurrent write takes the key first.
"""

import functools

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consumption.bulk import FIELD_NAMES, MAX_ROWS, check_sale_rows
from consumption.models import Sale
from cooperation.constraints import integrity_error
from cooperation.records import bulk_write


class SaleBulkError(Exception):
    """A batch was refused; ``errors`` is the contract's per-row list."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


# PostgreSQL array type of each bulk field, in FIELD_NAMES order.
_ARRAY_TYPES = {
    "source": "text",
    "external_id": "text",
    "sold_on": "date",
    "origin_region": "bigint",
    "product": "bigint",
    "venue": "bigint",
    "channel": "text",
    "buyer_kind": "text",
    "east_role": "text",
    "amount": "numeric",
    "quantity": "numeric",
    "unit": "text",
}


@functools.cache
def _upsert_sql() -> str:
    """One statement: upsert every row and write one history row per written sale.

    ``unnest`` turns one array per column into rows; ``ON CONFLICT`` on the unique
    (source, external_id) makes a replay, or a second identical request racing this one,
    update the row rather than add another; ``xmax = 0`` tells an inserted row from an updated
    one. A stored row whose values are all the same as the sent ones is left alone (no new
    row version, no history row: nothing changed), which makes replays cheap. The history
    rows are the ones django-simple-history would have written through ``save()``, which a
    statement-level upsert bypasses.

    Each array is sent as one text literal (``'{"a","b"}'::text[]``), not as a Python list:
    psycopg2 would spell a list out as ``ARRAY['a'::text, ...]``, one expression per value,
    which costs more to build in Python and several times more for PostgreSQL to plan than
    the whole insert.
    """
    meta = Sale._meta
    history_meta = Sale.history.model._meta
    columns = [meta.get_field(name).column for name in FIELD_NAMES]
    stamped = [*columns, "created_at", "updated_at"]
    history_columns = ["id", *stamped]
    missing = set(history_columns) - {field.column for field in history_meta.concrete_fields}
    if missing:  # the historical table mirrors the model's columns; fail loudly if that changes
        raise ImproperlyConfigured(f"{history_meta.db_table} lacks {sorted(missing)}")
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{_ARRAY_TYPES[name]}[]" for name in FIELD_NAMES)
    column_list = ", ".join(quote(c) for c in columns)
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in [*columns[2:], "updated_at"])
    stored = ", ".join(f"s.{quote(c)}" for c in columns[2:])
    sent = ", ".join(f"EXCLUDED.{quote(c)}" for c in columns[2:])
    # Only model metadata (table and column names, quoted) is interpolated; values are parameters.
    return f"""
        WITH batch AS (
            SELECT * FROM unnest({arrays}) AS b({column_list})
        ), written AS (
            INSERT INTO {quote(meta.db_table)} AS s ({", ".join(quote(c) for c in stamped)})
            SELECT {column_list}, %s, %s FROM batch
            ON CONFLICT ({quote(columns[0])}, {quote(columns[1])}) DO UPDATE SET {updates}
                WHERE ({stored}) IS DISTINCT FROM ({sent})
            RETURNING s.*, (s.xmax = 0) AS inserted
        ), audit AS (
            INSERT INTO {quote(history_meta.db_table)}
                ({", ".join(quote(c) for c in history_columns)},
                 history_date, history_change_reason, history_type, history_user_id)
            SELECT {", ".join(quote(c) for c in history_columns)},
                   %s, NULL, CASE WHEN inserted THEN '+' ELSE '~' END, %s
            FROM written
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written
    """  # noqa: S608


def sale_bulk_upsert(*, data, user) -> dict:
    """Create or update a batch of sales by (source, external_id): all rows or none.

    ``data`` is the parsed JSON body. Returns ``{"created": n, "updated": m}``, where
    ``updated`` counts the rows that already existed (the contract: a replay answers created 0,
    updated n), whether or not their values changed. A scoped ``user`` writes only sales within
    their scope (:func:`consumption.bulk.check_sale_rows`). Raises
    ``ValidationError`` when the body is not a list or is too long, and ``SaleBulkError``
    with the per-row errors when any row is bad (then nothing is written).
    """
    if not isinstance(data, list):
        raise ValidationError(_("Expected a list of sales."))
    if len(data) > MAX_ROWS:
        raise ValidationError(_("At most %(max)d sales per request (got %(n)d).") % {"max": MAX_ROWS, "n": len(data)})
    if not data:
        return {"created": 0, "updated": 0}
    rows, errors = check_sale_rows(data, user=user)
    if errors:
        raise SaleBulkError(errors)
    try:
        return _write(rows=rows, user_id=getattr(user, "pk", None))
    except IntegrityError as exc:
        # Only when a referenced record was deleted between the check and the write. Not
        # ``constraint_errors()``: ``_write`` is already its own transaction, and a savepoint
        # around it would be two more statements per batch.
        raise integrity_error(exc) from None


def _array_literal(values: tuple) -> str:
    """A PostgreSQL array literal of ``values``: None is NULL, every other value is quoted."""
    if None in values:
        items = ["NULL" if value is None else _quote(str(value)) for value in values]
        return "{" + ",".join(items) + "}"
    # The common case, a column without NULLs, in one join.
    joined = '","'.join(map(str, values))
    # Each separator holds two quotes: any more, or a backslash, and values need escaping.
    if "\\" in joined or joined.count('"') != 2 * (len(values) - 1):
        return "{" + ",".join(_quote(str(value)) for value in values) + "}"
    return '{"' + joined + '"}'


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@transaction.atomic
def _write(*, rows: list[tuple], user_id: int | None) -> dict:
    now = timezone.now()
    # Key order: two batches that share keys then lock those rows in the same order, so they
    # wait for each other instead of deadlocking.
    rows = sorted(rows, key=lambda row: (row[0], row[1]))
    columns = [_array_literal(column) for column in zip(*rows, strict=True)]

    def batch():  # the sales the batch writes, as stored before it and after it
        return Sale.objects.filter(source__in={row[0] for row in rows}, external_id__in={row[1] for row in rows})

    with bulk_write(Sale, batch), connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [*columns, now, now, now, user_id])
        created, _changed = cursor.fetchone()
    # The contract counts every row that already existed as updated, changed or not.
    return {"created": created, "updated": len(rows) - created}
