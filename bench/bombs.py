"""Hostile and huge spreadsheets: the peak memory and time of reading each, and of a
200,000-row roster import through the whole pipeline.

    .venv/bin/python bench/bombs.py [--roster-rows 200000] [--only far_cell,expanding]
        [--import-rows 200000] [--database-url postgres://...]

Each file is generated into bench/out/bombs/ (tiny, except the roster) and read by
``core.spreadsheets.open_table`` in its own Python process, so the peak RSS printed is that
read's alone. Printed per file: its size, seconds, peak RSS and the outcome (rows read, or the
refusal as the user sees it). The builders are used by tests/core/test_spreadsheet_limits.py.

The child process configures a minimal Django (the core app and its translations) so that the
figures do not depend on the rest of the project.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out")) / "bombs"
ALIASES = {
    "credit_code": ["统一社会信用代码", "社会信用代码"],
    "name": ["单位名称", "企业名称"],
    "unit": ["所属街镇", "街镇", "所属街道"],
}

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><dimension ref="%s"/><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>统一社会信用代码</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>所属街镇</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>天津某公司</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>91120111MA05K8XQ3D</t></is></c>'
    '<c r="C2" t="inlineStr"><is><t>李七庄街</t></is></c></row>'
)


def _parts() -> list[tuple[str, str]]:
    return [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
        ("xl/workbook.xml", _WORKBOOK),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
    ]


def far_cell(path: Path, ref: str = "XFD1048576") -> Path:
    """A 2-row roster plus one stray cell at ``ref``: a few KB declaring a huge used range."""
    row = "".join(ch for ch in ref if ch.isdigit())
    sheet = (
        SHEET_START % f"A1:{ref}"
        + HEADER_ROW
        + f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'
        + SHEET_END
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _parts():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def many_rows(path: Path, rows: int = 1_000_000, columns: int = 16) -> Path:
    """``rows`` rows of ``columns`` numbers, the sheet XML streamed into the archive.

    Cells are written without references (``<c><v>7</v></c>``, as some exporters do), which
    keeps the sheet under the uncompressed limit: it is the cell count that must refuse it."""
    letters = [chr(65 + i) for i in range(columns)]
    template = '<row r="%d">' + "<c><v>7</v></c>" * columns + "</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _parts():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((SHEET_START % f"A1:{letters[-1]}{rows}").encode())
            batch: list[str] = []
            for number in range(1, rows + 1):
                batch.append(template % number)
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            sheet.write(("".join(batch) + SHEET_END).encode())
    return path


def expanding(path: Path, size: int = 2 << 30) -> Path:
    """A sheet padded with ``size`` bytes of spaces: about 2 MB on disk for 2 GiB.

    Written by hand: one megabyte of spaces is deflated once, ended with a full flush (so the
    block refers to nothing before it) and repeated, which takes a second instead of the
    quarter of a minute zlib needs to compress 2 GiB."""
    block = 1 << 20
    spaces = b" " * block
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = compressor.compress(spaces) + compressor.flush(zlib.Z_FULL_FLUSH)
    head = (SHEET_START % "A1:C2" + HEADER_ROW).encode()
    tail = SHEET_END.encode()
    count = max(size // block, 1)
    crc = zlib.crc32(head)
    block_crc_input = spaces
    for _ in range(count):
        crc = zlib.crc32(block_crc_input, crc)
    crc = zlib.crc32(tail, crc)
    head_z = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = head_z.compress(head) + head_z.flush(zlib.Z_FULL_FLUSH)
    last_z = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = last_z.compress(tail) + last_z.flush(zlib.Z_FINISH)
    members: list[tuple[str, list[bytes], int, int]] = []
    for name, text in _parts():
        data = text.encode()
        z = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, [z.compress(data) + z.flush()], zlib.crc32(data), len(data)))
    members.append(
        (
            "xl/worksheets/sheet1.xml",
            [first, *([repeated] * count), last],
            crc,
            len(head) + count * block + len(tail),
        )
    )
    _write_raw_zip(path, members)
    return path


def _write_raw_zip(path: Path, members: list[tuple[str, list[bytes], int, int]]) -> None:
    central = b""
    with path.open("wb") as out:
        for name, chunks, crc, size in members:
            encoded = name.encode()
            compressed = sum(len(c) for c in chunks)
            offset = out.tell()
            out.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc,
                    compressed,
                    size,
                    len(encoded),
                    0,
                )
                + encoded
            )
            for chunk in chunks:
                out.write(chunk)
            central += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc,
                    compressed,
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )
        start = out.tell()
        out.write(central)
        out.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
            )
        )


def roster(path: Path, rows: int = 200_000) -> Path:
    from bench.import_roster import generate_roster

    return generate_roster(path, rows)


BOMBS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "far_cell": ("far_cell.xlsx", far_cell),
    "wide_range": ("wide_range.xlsx", lambda p: far_cell(p, "AD1048576")),
    "many_rows": ("many_rows.xlsx", many_rows),
    "expanding": ("expanding.xlsx", expanding),
}


def configure_django() -> None:
    """A minimal Django for the read: the core app with its Chinese translations."""
    import django
    from django.conf import settings

    if not settings.configured:
        # the limits as the project sets them (and the environment overrides them)
        os.environ.setdefault("XIQING_COMMAND_LINE", "1")
        from xiqing_credit.settings import base

        settings.configure(
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "core"],
            USE_I18N=True,
            LANGUAGE_CODE="zh-hans",
            LANGUAGES=[("zh-hans", "简体中文"), ("en", "English")],
            LOCALE_PATHS=[],
            **{
                name: getattr(base, name)
                for name in dir(base)
                if name.startswith("SPREADSHEET_MAX_")
            },
        )
    django.setup()


def read(path: Path, aliases: dict | None = None) -> dict:
    """Read the whole file as an importer would; the outcome, seconds and peak RSS."""

    from django.utils import translation

    from core import spreadsheets as sheets

    translation.activate("zh-hans")
    started = time.perf_counter()
    outcome: dict = {}
    try:
        with sheets.open_table(
            path, aliases=aliases or ALIASES, required=set(ALIASES), name=path.name
        ) as table:
            rows = sum(1 for _row in table)
        outcome.update(rows=rows, skipped_rows=table.skipped_rows)
    except sheets.SpreadsheetError as exc:
        outcome["refused"] = str(exc)
    outcome["seconds"] = round(time.perf_counter() - started, 2)
    outcome["peak_mb"] = own_peak_mb()
    return outcome


def own_peak_mb() -> float:
    """This process's own peak RSS. ``ru_maxrss`` is not it: Linux carries the parent's high
    water mark into a forked child, so a child of a big test worker would report the worker's
    peak. ``VmHWM`` belongs to the address space the child got at exec."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def read_in_child(path: Path, timeout: float = 300) -> dict:
    """``read`` in a fresh interpreter, so the peak memory is that of the read alone."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    if completed.returncode != 0:
        return {"crashed": completed.returncode, "stderr": completed.stderr[-2000:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def import_in_child(path: Path, *, write: bool, database_url: str, timeout: float = 900) -> dict:
    """A whole roster import through the pipeline (read, clean, look up, plan and, with
    ``write``, the one-transaction write), as ``manage.py import_roster`` runs it, in its own
    process: seconds and that process's peak RSS."""
    import resource

    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0"}
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    command = [sys.executable, str(ROOT / "manage.py"), "import_roster", str(path)]
    if not write:
        command.append("--dry-run")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False
    )
    seconds = round(time.perf_counter() - started, 2)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if completed.returncode != 0:
        return {"crashed": completed.returncode, "stderr": completed.stderr[-2000:]}
    return {
        "summary": completed.stdout.strip().splitlines()[-1],
        "seconds": seconds,
        # ru_maxrss of children is the largest child so far: only meaningful when it grew.
        "peak_mb": round(peak / 1024, 1) if peak > before else f"<= {before / 1024:.1f}",
    }


def bench_import(rows: int, database_url: str) -> None:
    """Print the peak memory and time of a ``rows``-row roster import: the dry run (what the
    preview job does) and the write, into the database of ``database_url`` (a scratch SQLite
    file by default, migrated first: the migrations seed the units)."""
    path = OUT / f"roster_{rows}.xlsx"
    if not path.exists():
        roster(path, rows)
    if not database_url:
        scratch = OUT / "import-bench.sqlite3"
        scratch.unlink(missing_ok=True)
        database_url = f"sqlite:///{scratch}"
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "0"}
        env.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    for label, write in (("import dry", False), ("import", True)):
        result = import_in_child(path, write=write, database_url=database_url)
        outcome = result.get("summary") or f"crashed: {result}"
        print(
            f"{label:<11} {path.stat().st_size / 1024:>9.0f} KB  {result.get('seconds', '-'):>6} s  "
            f"peak {result.get('peak_mb', '-'):>6} MB  {outcome}"
        )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster-rows", type=int, default=200_000)
    parser.add_argument(
        "--only", default="", help="comma-separated: " + ",".join([*BOMBS, "roster", "import"])
    )
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument(
        "--import-rows",
        type=int,
        default=200_000,
        help="rows of the roster imported through the pipeline after the reads (0: none)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a migrated database the import writes to (default: a scratch SQLite file in bench/out)",
    )
    arguments = parser.parse_args(argv)
    if arguments.child:
        configure_django()
        print(json.dumps(read(Path(arguments.child)), ensure_ascii=False))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = [n for n in arguments.only.split(",") if n] or [*BOMBS, "roster", "import"]
    for name in chosen:
        if name == "import":
            continue
        if name == "roster":
            file_name = f"roster_{arguments.roster_rows}.xlsx"
            path = OUT / file_name
            if not path.exists():
                roster(path, arguments.roster_rows)
        else:
            file_name, build = BOMBS[name]
            path = build(OUT / file_name)
        result = read_in_child(path)
        size_kb = path.stat().st_size / 1024
        outcome = result.get("refused") or (
            f"{result['rows']} rows read" if "rows" in result else f"crashed: {result}"
        )
        print(
            f"{name:<11} {size_kb:>9.0f} KB  {result.get('seconds', '-'):>6} s  "
            f"peak {result.get('peak_mb', '-'):>6} MB  {outcome}"
        )
    if arguments.import_rows and "import" in chosen:
        bench_import(arguments.import_rows, arguments.database_url)


if __name__ == "__main__":
    main(sys.argv[1:])
