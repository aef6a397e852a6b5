"""A streaming .xlsx reader for the sheets python-calamine must not see.

calamine allocates the whole used range of a sheet before the first row (one cell at
XFD1048576 is 17 billion cells). For such sparse sheets this reads the sheet XML as a stream
of ``<row>`` elements, keeps only the first ``max_columns`` columns, and hands rows on one at
a time with their real numbers. Values come out as calamine gives them: text, float, bool,
``date``/``datetime`` for cells whose style has a date format, ``""`` for an empty cell.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from defusedxml.ElementTree import iterparse

from .base import Cell
from .limits import column_number

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
# Built-in number formats that are dates or times (ECMA-376 18.8.30).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
# A format code is a date if it has d/m/y/h/s outside quotes, escapes and [colour] brackets.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
# Cell values carry no time zone (calamine gives naive datetimes too).
_EPOCH_1900 = datetime.datetime(1899, 12, 30)  # noqa: DTZ001
_EPOCH_1904 = datetime.datetime(1904, 1, 1)  # noqa: DTZ001


def _is_date_format(code: str) -> bool:
    return bool(re.search(r"[dmyhs]", _FORMAT_NOISE.sub("", code).lower()))


def _text_of(element: object) -> str:
    """The text of an ``<si>`` or ``<is>``: its runs' ``<t>``, without phonetic guides."""
    parts: list[str] = []
    for child in element:  # type: ignore[attr-defined]
        if child.tag == _MAIN + "t":
            parts.append(child.text or "")
        elif child.tag == _MAIN + "r":
            parts.extend(t.text or "" for t in child.iter(_MAIN + "t"))
    return "".join(parts)


class StreamedWorkbook:
    """The worksheets of an .xlsx/.xlsm, each readable as a stream of numbered rows."""

    def __init__(self, handle: BinaryIO) -> None:
        handle.seek(0)
        self._archive = zipfile.ZipFile(handle)
        names = set(self._archive.namelist())
        self._names = names
        self.sheets = self._sheet_parts()
        self._strings = self._shared_strings() if "xl/sharedStrings.xml" in names else []
        self._date_styles, self._epoch = self._styles()

    def close(self) -> None:
        self._archive.close()

    def _parse(self, member: str, tags: set[str]) -> Iterator[object]:
        with self._archive.open(member) as stream:
            for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
                if element.tag in tags:
                    yield element

    def _sheet_parts(self) -> list[tuple[str, str]]:
        """(name, member) of each worksheet in workbook order."""
        targets: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in self._names:
            for rel in self._parse("xl/_rels/workbook.xml.rels", {_PKG_REL + "Relationship"}):
                target = rel.get("Target", "")  # type: ignore[attr-defined]
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id", "")] = posixpath.normpath(path)  # type: ignore[attr-defined]
        sheets: list[tuple[str, str]] = []
        for sheet in self._parse("xl/workbook.xml", {_MAIN + "sheet"}):
            member = targets.get(sheet.get(_REL + "id", ""), "")  # type: ignore[attr-defined]
            if member in self._names and "/worksheets/" in member:
                sheets.append((sheet.get("name", ""), member))  # type: ignore[attr-defined]
        return sheets

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        for si in self._parse("xl/sharedStrings.xml", {_MAIN + "si"}):
            strings.append(_text_of(si))
            si.clear()  # type: ignore[attr-defined]
        return strings

    def _styles(self) -> tuple[list[bool], datetime.datetime]:
        epoch = _EPOCH_1900
        for pr in self._parse("xl/workbook.xml", {_MAIN + "workbookPr"}):
            if pr.get("date1904", "") in {"1", "true"}:  # type: ignore[attr-defined]
                epoch = _EPOCH_1904
        if "xl/styles.xml" not in self._names:
            return [], epoch
        custom: dict[int, bool] = {}
        dates: list[bool] = []
        for element in self._parse("xl/styles.xml", {_MAIN + "numFmt", _MAIN + "cellXfs"}):
            if element.tag == _MAIN + "numFmt":  # type: ignore[attr-defined]
                number = int(element.get("numFmtId", "0"))  # type: ignore[attr-defined]
                custom[number] = _is_date_format(element.get("formatCode", ""))  # type: ignore[attr-defined]
            else:
                for xf in element.iter(_MAIN + "xf"):  # type: ignore[attr-defined]
                    number = int(xf.get("numFmtId", "0"))
                    dates.append(custom.get(number, number in _DATE_FORMAT_IDS))
        return dates, epoch

    def rows(self, member: str, *, max_columns: int) -> Iterator[tuple[int, list[Cell]]]:
        """(Excel row number, cells) of each row that has a cell, cells cut at
        ``max_columns``; a cell beyond is never made."""
        row_tag, cell_tag, data_tag = _MAIN + "row", _MAIN + "c", _MAIN + "sheetData"
        number = 0
        parent = None
        with self._archive.open(member) as stream:
            for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    if element.tag == data_tag:
                        parent = element
                    continue
                if element.tag != row_tag:
                    continue
                number = int(element.get("r") or number + 1)
                cells: list[Cell] = []
                column = 0
                for cell in element.iter(cell_tag):
                    ref = cell.get("r")
                    match = _REF.match(ref) if ref else None
                    column = column_number(match.group(1)) if match else column + 1
                    if column > max_columns:
                        break
                    if column > len(cells) + 1:
                        cells.extend([""] * (column - len(cells) - 1))
                    cells.append(self._value(cell))
                # Drop the row from the tree too, or a million empty elements pile up.
                if parent is not None:
                    parent.clear()
                if cells:
                    yield number, cells

    def _value(self, cell: object) -> Cell:
        kind = cell.get("t", "n")  # type: ignore[attr-defined]
        if kind == "inlineStr":
            inline = cell.find(_MAIN + "is")  # type: ignore[attr-defined]
            return _text_of(inline) if inline is not None else ""
        value = cell.findtext(_MAIN + "v")  # type: ignore[attr-defined]
        if value is None:
            return ""
        if kind == "s":
            index = int(value)
            return self._strings[index] if 0 <= index < len(self._strings) else ""
        if kind == "b":
            return value.strip() in {"1", "true"}
        if kind in {"str", "e"}:
            return value
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                return value
        try:
            number = float(value)
        except ValueError:
            return value
        style = int(cell.get("s", "0") or 0)  # type: ignore[attr-defined]
        if style < len(self._date_styles) and self._date_styles[style] and 0 <= number < 2958466:
            moment = self._epoch + datetime.timedelta(days=number)
            moment = moment.replace(microsecond=0)
            return moment.date() if moment.time() == datetime.time() else moment
        return number
