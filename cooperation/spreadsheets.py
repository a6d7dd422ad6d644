"""Text stays text in every spreadsheet the portal writes (formula injection).

A spreadsheet program runs a cell that starts with ``=`` (and, in a ``.csv``, with ``+``, ``-``,
``@``, a tab or a carriage return) as a formula: a project named ``=HYPERLINK("http://x","y")``
would become a link, and worse formulas can run commands. Staff may still type such text (a
name, ``+86 …``, ``-5%``, ``@home``); it is stored as typed and written out as text:

- ``.xlsx`` (admin exports, report workbooks): the cell is stored as a string cell
  (:func:`cells_as_text`), so it shows exactly the typed text and imports back unchanged;
- ``.csv`` (admin exports): a text that a spreadsheet program would run gets a leading
  apostrophe (``'=HYPERLINK(…)``), which is how spreadsheets mark "this is text"; the import of
  a ``.csv`` removes that one apostrophe again, so an export imports back to the same text.
  A text that itself starts with an apostrophe followed by one of those characters (or a second
  apostrophe) gets one more, so the round trip holds for every text. Plain numbers (``-42``,
  ``+3.5``) are left alone: they cannot be formulas.

These formats replace django-import-export's ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``
(kept off in the settings): that setting deletes the leading ``=`` (the text changes and does
not come back on import), leaves ``+ - @`` alone and turns every cell into a string (an empty
cell becomes ``"None"``, numbers and dates lose their type in ``.xlsx``).
"""

import functools
import logging
import re

import tablib
from django.conf import settings
from import_export.formats import base_formats

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cells_as_text(worksheet) -> None:
    """Store every text cell of ``worksheet`` as a string cell.

    openpyxl takes a ``str`` starting with ``=`` for a formula and ``#N/A`` and the like for an
    error value; the portal writes no formula of its own, so every such cell is text from data.
    """
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
                cell.data_type = "s"


def csv_escape(value):
    """A ``.csv`` cell's text with the apostrophe that makes a spreadsheet show it as text."""
    if not isinstance(value, str) or not value:
        return value
    if (value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value)) or csv_unescape(value) != value:
        return TEXT_MARK + value
    return value


def csv_unescape(value):
    """The reverse of :func:`csv_escape` (a hand-made ``'=1+1`` also reads as ``=1+1``)."""
    if isinstance(value, str) and len(value) > 1 and value[0] == TEXT_MARK and value[1] in (*FORMULA_STARTS, TEXT_MARK):
        return value[1:]
    return value


def _map_cells(dataset: tablib.Dataset, func) -> tablib.Dataset:
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append([func(value) for value in row])
    return mapped


@functools.cache
def _text_xlsx_format():
    """tablib's ``.xlsx`` writer (title, bold header, frozen first row, column widths), with
    text cells stored as text. Built on first use: openpyxl is imported only when needed."""
    from tablib.formats._xlsx import XLSXFormat

    class TextXLSXFormat(XLSXFormat):
        @classmethod
        def dset_sheet(cls, dataset, ws, freeze_panes=True, escape=False):
            super().dset_sheet(dataset, ws, freeze_panes=freeze_panes, escape=escape)
            cells_as_text(ws)

    return TextXLSXFormat


class XLSX(base_formats.XLSX):
    """``.xlsx`` import and export; the export writes text cells as text (see the module)."""

    def export_data(self, dataset, **kwargs):
        from openpyxl.utils.exceptions import IllegalCharacterError

        writer = _text_xlsx_format()
        try:
            return writer.export_set(dataset, **kwargs)
        except IllegalCharacterError:
            # As django-import-export does: replace the characters when the setting asks for it,
            # otherwise fail without echoing the offending text.
            if getattr(settings, "IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT", False) is not True:
                logger.exception("xlsx export failed")
                raise ValueError("export failed due to IllegalCharacterError") from None
            self._escape_illegal_chars(dataset)
            return writer.export_set(dataset, **kwargs)


# The admin exports numbers and dates in their own type only for the formats listed there
# (``type(format) in BINARY_FORMATS``), as it does for django-import-export's own XLSX.
if XLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(XLSX)


class CSV(base_formats.CSV):
    """``.csv`` import and export; the export marks formula-like text, the import unmarks it."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, csv_escape), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), csv_unescape)
