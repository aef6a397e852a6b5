"""Bounded reading of old .xls workbooks: the OLE2 container's Workbook stream and its BIFF
cell records, scanned before python-calamine allocates the sheets' used ranges."""

from __future__ import annotations

import struct
from typing import BinaryIO

from django.utils.translation import gettext as _

from .base import SpreadsheetError, damaged_file
from .limits import CALAMINE_MAX_RANGE, Limits, refuse_rows

_END_OF_CHAIN = 0xFFFFFFFE
# BIFF8 cell records whose data starts with (row, column) as two unsigned shorts.
_CELL_RECORDS = frozenset({0x0203, 0x00FD, 0x027E, 0x0201, 0x0204, 0x0205, 0x0006})
_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col, ..., last col
_BOF, _EOF = 0x0809, 0x000A


def _workbook_stream(data: bytes) -> bytes:
    """The Workbook (or Book) stream of an OLE2 file, followed through its sector chain."""
    if len(data) < 512:
        raise damaged_file()
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if not 7 <= shift <= 16:
        raise damaged_file()
    size = 1 << shift
    sectors = (len(data) - 512) // size + 1

    def sector(number: int) -> bytes:
        start = 512 + number * size
        if number >= sectors or start > len(data):
            raise damaged_file()
        return data[start : start + size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    for _step in range(min(difat_count, sectors)):
        if next_difat >= sectors:
            break
        block = struct.unpack(f"<{size // 4}I", sector(next_difat))
        difat.extend(block[:-1])
        next_difat = block[-1]
    fat: list[int] = []
    for number in difat[: struct.unpack_from("<I", data, 0x2C)[0]]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))

    def chain(first: int) -> bytes:
        parts, current = [], first
        for _step in range(sectors):  # a chain longer than the file loops
            if current == _END_OF_CHAIN or current >= len(fat):
                break
            parts.append(sector(current))
            current = fat[current]
        return b"".join(parts)

    directory = chain(struct.unpack_from("<I", data, 0x30)[0])
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset : offset + 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if name in {"Workbook", "Book"}:
            start, stream_size = struct.unpack_from("<II", entry, 116)
            if stream_size > len(data):
                raise damaged_file()
            if stream_size < struct.unpack_from("<I", data, 0x38)[0]:
                return b""  # in the mini stream: a tiny workbook, nothing to bound
            return chain(start)[:stream_size]
    return b""


def check_xls(handle: BinaryIO, limits: Limits) -> None:
    """Refuse an .xls whose sheets hold too many cells or rows, or whose used range (which
    python-calamine allocates whole) is far larger than its cells."""
    handle.seek(0)
    data = handle.read(limits.upload_bytes + 1)
    handle.seek(0)
    if len(data) > limits.upload_bytes:
        from .limits import refuse_size

        refuse_size(len(data), limits)
    try:
        stream = _workbook_stream(data)
    except struct.error as exc:
        raise damaged_file() from exc
    del data
    cells = last_row = last_column = 0
    position, end = 0, len(stream) - 4
    unpack = struct.unpack_from
    while position <= end:
        kind, length = unpack("<HH", stream, position)
        body = position + 4
        position = body + length
        if kind in _CELL_RECORDS and length >= 4:
            row, column = unpack("<HH", stream, body)
            cells += 1
        elif kind in _MULTI_RECORDS and length >= 6:
            row, first = unpack("<HH", stream, body)
            column = unpack("<H", stream, body + length - 2)[0]
            cells += max(column - first + 1, 1)
        elif kind == _BOF:
            # a new sheet: its used range is its own
            if last_row * last_column > CALAMINE_MAX_RANGE:
                _refuse_range(last_row, last_column)
            last_row = last_column = 0
            continue
        else:
            continue
        last_row = max(last_row, row + 1)
        last_column = max(last_column, column + 1)
        if cells > limits.cells:
            raise SpreadsheetError(
                _(
                    "The workbook has more than %(limit)s cells (the limit of cells read). "
                    "Split the file into parts or remove unused columns."
                )
                % {"limit": f"{limits.cells:,}"}
            )
    refuse_rows(last_row, limits)
    if last_row * last_column > CALAMINE_MAX_RANGE:
        _refuse_range(last_row, last_column)


def _refuse_range(rows: int, columns: int) -> None:
    raise SpreadsheetError(
        _(
            "A sheet of the .xls workbook reaches row %(rows)d and column %(columns)d, far "
            "beyond its data: delete the stray cells far away, or save the file as .xlsx."
        )
        % {"rows": rows, "columns": columns}
    )
