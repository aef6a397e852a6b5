"""Bounded reading: what a file claims and what it expands to, checked before any parser
allocates.

A workbook is a ZIP of XML parts; a few kilobytes can declare gigabytes. Each member's declared
size and compression ratio, the total, and for each sheet its rows, cells and real used range
(the XML scanned as a stream, never built) are checked against the ``SPREADSHEET_MAX_*``
settings. Over a limit: ``SpreadsheetError`` naming the limit. A sheet whose used range is far
larger than its cells (one stray cell at XFD1048576) is flagged ``sparse``: python-calamine
would allocate the whole range, so the reader streams such a sheet itself.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import SpreadsheetError, damaged_file

# Members smaller than this may be as compressible as they like (an empty sheet of styles
# compresses 300:1 and costs nothing).
_RATIO_FLOOR = 8 * 1024 * 1024
_SCAN_CHUNK = 1024 * 1024
# A used range up to this many cells goes to python-calamine, the fast path; beyond, the sheet
# is streamed. calamine holds the whole range (with text, about 90 bytes a cell: a 100,000-row
# roster of 13 columns reads in 3.1 s at a peak of 190 MB, against 8.2 s and 85 MB streamed),
# so the bound keeps a read under about 210 MB whatever the file, and the import of such a
# roster under 300 MB.
CALAMINE_MAX_RANGE = 1_500_000
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="(\d{1,9})"')
_MULTI_LETTER_REF = re.compile(rb'<c r="([A-Z]{2,3})\d')
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]{0,3}\d*(?::[A-Z]{0,3}\d*)?)"')
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_LETTERS = [bytes([c]) for c in range(ord("Z"), ord("A") - 1, -1)]


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    ratio: int
    rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            upload_bytes=settings.SPREADSHEET_MAX_UPLOAD_BYTES,
            uncompressed_bytes=getattr(settings, "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 300 << 20),
            ratio=getattr(settings, "SPREADSHEET_MAX_RATIO", 200),
            rows=getattr(settings, "SPREADSHEET_MAX_ROWS", 1_048_576),
            columns=getattr(settings, "SPREADSHEET_MAX_COLUMNS", 50),
            cells=getattr(settings, "SPREADSHEET_MAX_CELLS", 10_000_000),
        )


@dataclass
class SheetExtent:
    """What a sheet's XML holds, found by scanning it: ``last_row``/``last_column`` are the
    real used range (1-based), ``declared`` the ``<dimension ref>`` it claims."""

    member: str
    rows: int = 0
    cells: int = 0
    last_row: int = 0
    last_column: int = 0
    declared: str = ""
    # merged ranges as (first_row, first_column, last_row, last_column), 0-based
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def used_range(self) -> int:
        return self.last_row * self.last_column

    @property
    def sparse(self) -> bool:
        return self.used_range > CALAMINE_MAX_RANGE


def column_number(letters: bytes | str) -> int:
    """A1-style column letters to a 1-based number: A -> 1, AD -> 30, XFD -> 16384."""
    number = 0
    for char in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + char - 64
    return number


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:.0f}"


def refuse_size(size: int, limits: Limits) -> None:
    if size > limits.upload_bytes:
        raise SpreadsheetError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
            % {"size": size / 1024 / 1024, "limit": limits.upload_bytes / 1024 / 1024}
        )


def _refuse_over(count: int, limit: int, message: Promise) -> None:
    """Refuse a file holding more than ``limit`` rows or cells, ``message`` naming the limit."""
    if count > limit:
        raise SpreadsheetError(message % {"limit": f"{limit:,}"})


def refuse_rows(rows: int, limits: Limits) -> None:
    _refuse_over(
        rows,
        limits.rows,
        gettext_lazy(
            "The sheet has more than %(limit)s rows (the limit of rows read). "
            "Split the file into parts."
        ),
    )


def _refuse_cells(cells: int, limits: Limits) -> None:
    _refuse_over(
        cells,
        limits.cells,
        gettext_lazy(
            "The workbook has more than %(limit)s cells (the limit of cells read). "
            "Split the file into parts or remove unused columns."
        ),
    )


def check_workbook_zip(
    handle: BinaryIO, limits: Limits | None = None, *, scan: bool = True
) -> list[SheetExtent]:
    """Check an .xlsx/.xlsm before it is parsed; the extent of each worksheet part.

    ``scan=False`` checks only the declared sizes and ratios (instant: for the upload form).

    Reads the central directory (sizes as declared) and then each sheet as a stream of
    1 MB chunks: memory stays flat whatever the file declares. ``zipfile`` stops at the
    declared size, so a member cannot expand beyond what was checked."""
    limits = limits or Limits.from_settings()
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            total = 0
            for info in members:
                total += info.file_size
                _check_member(info, limits)
            if total > limits.uncompressed_bytes:
                raise SpreadsheetError(
                    _(
                        "The workbook expands to %(size)s MB when opened; the limit is "
                        "%(limit)s MB uncompressed. Remove unused sheets or split the file."
                    )
                    % {"size": _mb(total), "limit": _mb(limits.uncompressed_bytes)}
                )
            sheets = [
                _scan_sheet(archive, info, limits)
                for info in members
                if scan
                and info.filename.startswith("xl/worksheets/")
                and info.filename.endswith(".xml")
            ]
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
        raise damaged_file() from exc
    finally:
        handle.seek(0)
    _refuse_cells(sum(sheet.cells for sheet in sheets), limits)
    return sheets


def _check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.uncompressed_bytes:
        raise SpreadsheetError(
            _(
                "A part of the workbook (%(part)s) expands to %(size)s MB; the limit is "
                "%(limit)s MB uncompressed. Remove unused sheets or split the file."
            )
            % {
                "part": info.filename[:80],
                "size": _mb(info.file_size),
                "limit": _mb(limits.uncompressed_bytes),
            }
        )
    if info.file_size > _RATIO_FLOOR:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.ratio:
            raise SpreadsheetError(
                _(
                    "A part of the workbook (%(part)s) is compressed %(ratio)d to 1; the limit "
                    "is %(limit)d to 1. The file is not an ordinary spreadsheet: save it again "
                    "from Excel."
                )
                % {"part": info.filename[:80], "ratio": ratio, "limit": limits.ratio}
            )


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> SheetExtent:
    """Rows, cells, the real used range and merged ranges of one sheet, by counting tags in
    chunks of the decompressed XML (no tree, no per-cell Python objects in the common case)."""
    extent = SheetExtent(info.filename)
    carry = b""
    max_row_ref = 0
    first = True
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            window = carry + chunk
            if chunk:
                # Cut after the last complete tag; the rest goes with the next chunk.
                cut = window.rfind(b">") + 1
                if cut == 0 and len(window) < 4 * _SCAN_CHUNK:
                    carry = window
                    continue
                window, carry = (window[:cut], window[cut:]) if cut else (window, b"")
            if first:
                match = _DIMENSION.search(window)
                extent.declared = match.group(1).decode() if match else ""
                first = False
            # One count per tag: "<row" also meets a rare <rowBreaks>, "<c" a <col> or
            # <cfRule> outside the data; overcounting only errs on the safe side.
            extent.rows += window.count(b"<row")
            extent.cells += window.count(b"<c")
            last = window.rfind(b"<row ")
            if last >= 0 and (match := _ROW_REF.match(window, last)):
                max_row_ref = max(max_row_ref, int(match.group(1)))
            extent.last_column = _max_column(window, extent.last_column)
            if b"<mergeCell " in window and len(extent.merges) < 10_000:
                extent.merges.extend(
                    (int(r1) - 1, column_number(c1) - 1, int(r2) - 1, column_number(c2) - 1)
                    for c1, r1, c2, r2 in _MERGE.findall(window)
                )
            refuse_rows(max(extent.rows, max_row_ref), limits)
            _refuse_cells(extent.cells, limits)
            if not chunk:
                break
    extent.last_row = max(max_row_ref, extent.rows)
    if extent.cells and not extent.last_column:
        extent.last_column = extent.cells  # cells without references: at most one per column
    return extent


def _max_column(window: bytes, current: int) -> int:
    """The largest column referenced in the window, or ``current`` if larger.

    Multi-letter references are few in ordinary sheets (columns AA and beyond); single
    letters are found with one regex scan for a letter above the largest so far, so no match
    object is made per cell. References not written as ``<c r=`` (other attribute order) are
    found too; cells without references count by position (``last_column`` falls back)."""
    if b'<c r="' not in window:
        if b"<c " not in window:
            return current
        refs = {m.group(1) for m in _CELL_REF.finditer(window)}
        return max([current, *(column_number(ref) for ref in refs)])
    multi = set(_MULTI_LETTER_REF.findall(window))
    if multi:
        current = max(current, *(column_number(ref) for ref in multi))
    position = 0
    while current < 26:
        above = chr(65 + current)  # the letter after the largest so far (A = column 1)
        match = re.compile(rb'<c r="([' + above.encode() + rb"-Z])\d").search(window, position)
        if match is None:
            break
        current = match.group(1)[0] - 64
        position = match.start()
    return current


def count_csv_lines(handle: BinaryIO, limits: Limits | None = None) -> int:
    """Lines of a text file as read (in chunks), refused over the row limit."""
    limits = limits or Limits.from_settings()
    handle.seek(0)
    lines = 0
    try:
        while chunk := handle.read(_SCAN_CHUNK):
            lines += chunk.count(b"\n")
            refuse_rows(lines, limits)
    finally:
        handle.seek(0)
    return lines
