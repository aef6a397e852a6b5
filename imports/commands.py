"""The run the import commands share (``import_roster``, ``import_cases``): the file imported
with its progress on the terminal, and a refused file as the command's one-line reason."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from core import spreadsheets as sheets

from .base import Importer, ImportFailed
from .pipeline import ImportResult
from .services import import_file, terminal_progress


def command_import(
    *, importer: Importer, path: Path, dry_run: bool, check_upload: bool = False
) -> ImportResult:
    """Import ``path`` (recorded as an ImportBatch unless ``dry_run``), the progress on stderr
    when it is a terminal. ``check_upload``: first the upload checks of the web form, with no
    size limit (the limit protects the web server). Raises ``CommandError`` naming the file."""
    try:
        if check_upload:
            with path.open("rb") as handle:
                sheets.check_upload(handle, name=path.name, max_bytes=1 << 62)
        progress = terminal_progress(sys.stderr)
        result, _batch = import_file(
            importer=importer, path=path, dry_run=dry_run, progress=progress
        )
        if progress is not None:
            sys.stderr.write("\n")
    except (sheets.SpreadsheetError, ImportFailed) as exc:
        raise CommandError(f"{path.name}: {exc}") from exc
    return result
