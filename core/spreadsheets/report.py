"""The rejected-rows report: the rows as sent, with an error column, ready to fix."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.exports import safe_cell

from .reader import Row

# --------------------------------------------------------------------------------------------
# Report of rejected rows
# --------------------------------------------------------------------------------------------


class RejectedRowsReport:
    """A write-only .xlsx of the rejected rows, ready to fix and upload again: the header row
    as the file had it, then an error column and the row number in the original file.

    Cells are written as read (dates stay dates, codes stay text) and made formula-safe."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.titles = list(titles)
        self.count = 0
        self._saved: IO[bytes] | None = None
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title=_("Rejected rows")[:31])
        width = len(self.titles)
        for index in range(width + 2):
            letter = _column_letter(index)
            self._sheet.column_dimensions[letter].width = 40 if index == width else 16
        self._sheet.freeze_panes = "A2"
        self._sheet.append([*self.titles, _("Error"), _("Row in original file")])

    def add(self, row: Row, error: str) -> None:
        cells = list(row.cells[: len(self.titles)])
        cells += [""] * (len(self.titles) - len(cells))
        self._sheet.append([*(safe_cell(c) for c in cells), safe_cell(error), row.number])
        self.count += 1

    def finish(self) -> None:
        """Stop adding rows and write the workbook (once) to an anonymous temporary file;
        ``save`` copies it from there, as often as needed."""
        if self._saved is None:
            # A write-only workbook can be saved only once: keep the bytes for later copies.
            self._saved = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the report
            self._workbook.save(self._saved)

    def save(self, target: str | Path | BinaryIO) -> None:
        """Write the .xlsx to a path or binary file; may be called more than once."""
        self.finish()
        assert self._saved is not None
        self._saved.seek(0)
        if isinstance(target, str | Path):
            with Path(target).open("wb") as out:
                shutil.copyfileobj(self._saved, out)
        else:
            shutil.copyfileobj(self._saved, target)

    def close(self) -> None:
        if self._saved is not None:
            self._saved.close()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
