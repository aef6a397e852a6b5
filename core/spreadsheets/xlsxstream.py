"""A streaming .xlsx reader for the sheets python-calamine must not see.

calamine allocates the whole used range of a sheet before the first row (one cell at
XFD1048576 is 17 billion cells). For such sparse sheets this reads the sheet XML as a stream
of ``<row>`` elements, keeps only the first ``max_columns`` columns, and hands rows on one at
a time with their real numbers. Values come out as calamine gives them: text, float, bool,
``date``/``datetime`` for cells whose style has a date format, ``""`` for an empty cell.
"""

from __future__ import annotations

import codecs
import datetime
import html
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
_CHUNK = 1024 * 1024
# Tags may carry a namespace prefix (<x:row>) when another library wrote the file.
_ROW = re.compile(r"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_ROW_START = re.compile(r"<(?:\w+:)?row\b")
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_CELL_REF = re.compile(r'\br="([A-Z]{1,3})\d+"')
# The attribute order Excel, openpyxl and most writers use: r, s, t.
_FAST_CELL = re.compile(
    r'<c(?: r="([A-Z]{1,3})\d+")?(?: s="(\d+)")?(?: t="(\w+)")?\s*(?:/>|>(.*?)</c>)', re.S
)
_COLUMNS = {
    letters: column_number(letters)
    for letters in [chr(a) for a in range(65, 91)]
    + [chr(a) + chr(b) for a in range(65, 91) for b in range(65, 91)]
}
_KIND = re.compile(r'\bt="(\w+)"')
_STYLE = re.compile(r'\bs="(\d+)"')
_VALUE = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
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
        ``max_columns``; a cell beyond is never made.

        The sheet is read in chunks of decompressed text and each complete ``<row>`` taken
        apart with regular expressions: no element tree, about as fast as calamine's
        Python rows, and memory flat whatever the sheet's size."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        number = 0
        carry = ""
        with self._archive.open(member) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                text = carry + decoder.decode(chunk, final=not chunk)
                if chunk:
                    cut = _last_row_end(text)
                    if cut < 0:
                        if len(text) > 16 * _CHUNK:  # no row ends in 16 MB: not a sheet
                            raise ValueError("no row end in the sheet data")
                        carry = text
                        continue
                    text, carry = text[:cut], text[cut:]
                for match in _ROW.finditer(text):
                    ref = _ROW_NUMBER.search(match.group(1))
                    number = int(ref.group(1)) if ref else number + 1
                    cells = self._cells(match.group(2) or "", max_columns)
                    if cells:
                        yield number, cells
                if not chunk:
                    break

    def _cells(self, body: str, max_columns: int) -> list[Cell]:
        cells: list[Cell] = []
        found = _FAST_CELL.findall(body)
        if len(found) != body.count("<c") - body.count("<col"):
            # another attribute order or a namespace prefix: the general pattern
            found = [
                _general_cell(attributes, content) for attributes, content in _CELL.findall(body)
            ]
        column = 0
        numbers = _COLUMNS
        strings = self._strings
        for letters, style, kind, content in found:
            column = (numbers.get(letters) or column_number(letters)) if letters else column + 1
            if column > max_columns:
                break
            if column > len(cells) + 1:
                cells.extend([""] * (column - len(cells) - 1))
            # The common cells without a regular expression: a shared string, a plain inline
            # string, an unstyled number.
            if kind == "s" and content.startswith("<v>"):
                index = int(content[3 : content.index("<", 3)])
                cells.append(strings[index] if 0 <= index < len(strings) else "")
            elif (
                kind == "inlineStr"
                and content.startswith("<is><t>")
                and content.endswith("</t></is>")
                and "<" not in (text := content[7:-9])
            ):
                cells.append(html.unescape(text) if "&" in text else text)
            elif not kind and not style and content.startswith("<v>") and content.endswith("</v>"):
                try:
                    cells.append(float(content[3:-4]))
                except ValueError:
                    cells.append(self._value("n", style, content))
            else:
                cells.append(self._value(kind or "n", style, content))
        return cells

    def _value(self, kind: str, style: str, content: str) -> Cell:
        if kind == "inlineStr":
            if "rPh" in content:
                content = _PHONETIC.sub("", content)
            return _unescape("".join(_TEXT.findall(content)))
        match = _VALUE.search(content)
        if match is None:
            return ""
        value = match.group(1)
        if kind == "s":
            index = int(value)
            return self._strings[index] if 0 <= index < len(self._strings) else ""
        if kind == "b":
            return value.strip() in {"1", "true"}
        if kind in {"str", "e"}:
            return _unescape(value)
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                return value
        try:
            number = float(value)
        except ValueError:
            return _unescape(value)
        index = int(style) if style else 0
        if index < len(self._date_styles) and self._date_styles[index] and 0 <= number < 2958466:
            moment = self._epoch + datetime.timedelta(days=number)
            moment = moment.replace(microsecond=0)
            return moment.date() if moment.time() == datetime.time() else moment
        return number


def _general_cell(attributes: str, content: str) -> tuple[str, str, str, str]:
    ref = _CELL_REF.search(attributes)
    style = _STYLE.search(attributes)
    kind = _KIND.search(attributes)
    return (
        ref.group(1) if ref else "",
        style.group(1) if style else "",
        kind.group(1) if kind else "",
        content,
    )


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _last_row_end(text: str) -> int:
    """Where the last ``</row>`` (or ``</x:row>``) ends, or -1. A self-closing ``<row/>``
    holds no cells, so it may wait for the next chunk."""
    index = text.rfind("row>")
    while index > 0:
        before = text[index - 1]
        if before == "/" or (before == ":" and "</" in text[max(0, index - 16) : index]):
            return index + 4
        index = text.rfind("row>", 0, index)
    return -1
