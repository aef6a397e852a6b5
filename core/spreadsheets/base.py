"""Shared names of the spreadsheet package: accepted formats, the cell type and the two errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

ACCEPTED_EXTENSIONS = ("xlsx", "xlsm", "xls", "csv")
# How far down the header row may sit (title rows, 填报单位 rows, blank rows above it).
HEADER_SEARCH_ROWS = 20
# Header cells that are never data, whatever the aliases say.
IGNORED_HEADERS = frozenset({"序号", "编号", "no", "no.", "行号"})

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1024 * 1024

Cell = Any
Source = str | Path | BinaryIO


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; ``str(exc)`` is a sentence for the user."""


def damaged_file() -> SpreadsheetError:
    """The error of a file cut short or broken inside (an interrupted upload)."""
    return SpreadsheetError(
        _(
            "The file is damaged or incomplete (perhaps the upload was interrupted). "
            "Open it in Excel, save it again and upload the new copy."
        )
    )


class CellError(ValueError):
    """One cell cannot be understood; ``str(exc)`` says why, for the user."""
