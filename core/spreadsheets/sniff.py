"""Upload checks and format sniffing: what a file really is, whatever its name says."""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from .base import (
    _CHUNK,
    _EMPTY_ZIP_MAGIC,
    _OLE2_MAGIC,
    _ZIP_MAGIC,
    ACCEPTED_EXTENSIONS,
    SpreadsheetError,
    damaged_file,
)

# --------------------------------------------------------------------------------------------
# Upload checks and format sniffing
# --------------------------------------------------------------------------------------------


def _size_of(handle: BinaryIO) -> int:
    position = handle.tell()
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _scan_for(handle: BinaryIO, needles: Sequence[bytes]) -> set[bytes]:
    """Which of the byte strings occur anywhere in the file (read in chunks, with overlap)."""
    found: set[bytes] = set()
    overlap = max(len(n) for n in needles)
    handle.seek(0)
    tail = b""
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            break
        window = tail + chunk
        found.update(n for n in needles if n in window)
        tail = window[-overlap:]
    handle.seek(0)
    return found


def _sniff_zip(handle: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise damaged_file() from exc
    finally:
        handle.seek(0)
    if "[Content_Types].xml" not in names:
        raise SpreadsheetError(_("The file is a ZIP archive, not an Excel workbook."))
    if not any(name.startswith("xl/") for name in names):
        raise SpreadsheetError(
            _("The file is an Office document but not an Excel workbook (Word or PowerPoint?).")
        )
    return "xlsx"


def _sniff_ole2(handle: BinaryIO) -> str:
    # Excel encrypts a password-protected .xlsx into an OLE2 container holding an
    # EncryptionInfo stream; an old .xls keeps its sheets in a "Workbook" (or "Book") stream.
    found = _scan_for(handle, [_utf16("EncryptionInfo"), _utf16("Workbook"), _utf16("Book\x00")])
    if _utf16("EncryptionInfo") in found:
        raise SpreadsheetError(
            _(
                "The workbook is protected by a password. Remove the password in Excel "
                "(File > Info > Protect Workbook), save and upload again."
            )
        )
    if found & {_utf16("Workbook"), _utf16("Book\x00")}:
        return "xls"
    raise SpreadsheetError(
        _("The file is an old Office document but not an Excel workbook (Word or PowerPoint?).")
    )


def _sniff_text(handle: BinaryIO) -> str:
    head = handle.read(64 * 1024)
    handle.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    if b"\x00" in head:
        raise SpreadsheetError(
            _("The file is not a spreadsheet. Upload an .xlsx, .xls or .csv file.")
        )
    text = _decode_head(head)
    if text is None:
        raise SpreadsheetError(
            _("The file is not readable text in UTF-8 or GB18030. Save it from Excel as .xlsx.")
        )
    if text.lstrip("\ufeff \r\n\t").startswith("<"):
        raise SpreadsheetError(
            _(
                "The file is a web page (HTML or XML) saved with a spreadsheet name. "
                "Open it in Excel and save it as an Excel workbook (.xlsx)."
            )
        )
    if text.startswith("%PDF"):
        raise SpreadsheetError(_("The file is a PDF, not a spreadsheet."))
    return "csv"


def _decode_head(head: bytes) -> str | None:
    """The first bytes as text, if UTF-8 or GB18030; a character cut at the end is fine."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None


def sniff_format(handle: BinaryIO) -> str:
    """ "xlsx", "xls" or "csv", judged by the content (not the name); SpreadsheetError if the
    content is empty, damaged, password-protected or not a spreadsheet at all."""
    handle.seek(0)
    magic = handle.read(8)
    handle.seek(0)
    if not magic:
        raise SpreadsheetError(_("The file is empty."))
    if magic.startswith(_ZIP_MAGIC):
        return _sniff_zip(handle)
    if magic.startswith(_EMPTY_ZIP_MAGIC):
        raise SpreadsheetError(_("The file is an empty ZIP archive, not an Excel workbook."))
    if magic.startswith(_OLE2_MAGIC):
        return _sniff_ole2(handle)
    if magic.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise SpreadsheetError(_("The file is a picture, not a spreadsheet."))
    return _sniff_text(handle)


def extension_of(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def check_upload(handle: BinaryIO, *, name: str, max_bytes: int | None = None) -> str:
    """Refuse a file users should not have sent, with the reason in their language.

    Checks the extension, the size (``settings.SPREADSHEET_MAX_UPLOAD_BYTES`` unless given),
    the content and, for a workbook, what its parts declare they expand to. Returns the format ("xlsx", "xls" or "csv"). A workbook whose extension
    names the other Excel format is accepted (users rename files); a workbook named .csv or a
    text file named .xlsx is refused."""
    extension = extension_of(name)
    if extension not in ACCEPTED_EXTENSIONS:
        raise SpreadsheetError(
            _("%(name)s is not a spreadsheet: upload an .xlsx, .xls or .csv file.") % {"name": name}
        )
    limit = settings.SPREADSHEET_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    size = _size_of(handle)
    if size == 0:
        raise SpreadsheetError(_("The file is empty."))
    if size > limit:
        raise SpreadsheetError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
            % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024}
        )
    kind = sniff_format(handle)
    if kind == "xlsx":
        # What the archive declares it expands to, refused at once (the sheets are scanned
        # when the file is read).
        from .limits import check_workbook_zip

        check_workbook_zip(handle, scan=False)
    if (kind == "csv") != (extension == "csv"):
        if kind == "csv":
            raise SpreadsheetError(
                _(
                    "%(name)s is named like an Excel workbook but contains plain text. "
                    "Rename it to .csv, or save it from Excel as .xlsx."
                )
                % {"name": name}
            )
        raise SpreadsheetError(
            _("%(name)s is an Excel workbook named .csv. Rename it to .xlsx and upload again.")
            % {"name": name}
        )
    return kind
