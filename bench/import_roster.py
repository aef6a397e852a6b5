"""Roster import benchmark: a realistic 100,000-row .xlsx, read, validated and written.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiqing_bench_import \\
        .venv/bin/python bench/import_roster.py [--rows 100000] [--seed 1] [--keep]
        [--no-subscribers]

The file looks like what streets send: a merged title row and a 填报单位 row above the header,
a 序号 column, dates as Excel dates and as text in five spellings, some phones as floats,
headcounts as "N人", codes in lower case / full width / with spaces, about 1% invalid rows, some
repeated rows, a blank row and a signature row at the end. It is generated once (in a child
process, so its memory does not count) into bench/out/.

Printed, each with its seconds, rows/s and peak RSS (Linux: the process's high-water mark,
reset before each phase): reading (spreadsheets.open_table), reading + validating (roster rules,
no database), the import into an empty registry (one transaction; the subscribers of
employers_imported detached), the re-import of the same file (nothing to write), a re-import
after every imported employer was changed (headcount of all, name of every third: all
updated, with history), and unless --no-subscribers the import with the subscribers attached
(the ratings app rates every new employer after the commit, as in the browser); then the peak
RSS of the whole run. Without DATABASE_URL the benchmark uses its own SQLite file in
bench/out/, never the development one. The employers it creates are deleted afterwards unless
--keep is given.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.workbooks import ROSTER_TITLES  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
# Codes of generated employers share this body prefix so they can be found and removed.
MARK = "BN"

_UNIT_SPELLINGS = [
    "李七庄街",
    "李七庄街道",
    "李七庄",
    "杨柳青镇",
    "杨柳青",
    "精武镇",
    "中北镇",
    "张家窝镇",
    "大寺镇",
    "西营门街道",
    "赤龙南街",
    "津门湖街道",
    "辛口镇",
    "王稳庄镇",
    "西青开发区",
    "开发区",
]
_KINDS = ["企业"] * 14 + ["个体工商户"] * 4 + ["人力资源服务机构", "职业技能培训机构"]
_INDUSTRIES = ["制造业", "建筑业", "批发和零售业", "住宿和餐饮业", "交通运输、仓储和邮政业", "教育"]
# The 李七庄 sample's columns, its 序号 first.
_HEADER = ["序号", *ROSTER_TITLES]


def _code(index: int, kind: str) -> str:
    from employers.credit_code import make_credit_code

    prefix = "92" if kind == "个体工商户" else "91"
    return make_credit_code(f"{prefix}120111{MARK}{index:07d}")


def _date_cell(rng: random.Random, day: datetime.date) -> object:
    style = rng.randrange(7)
    if style <= 1:
        return day  # an Excel date
    return [
        day.isoformat(),
        f"{day.year}-{day.month}-{day.day}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
    ][style - 1]


def generate_roster(path: Path, rows: int, seed: int = 1) -> Path:
    """Write the roster with openpyxl in write-only mode (flat memory)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["西青区用人单位基本信息登记表"])
    sheet.append(["填报单位：西青区人力社保局", *[""] * 7, "填报日期：2026年10月28日"])
    sheet.append(_HEADER)
    previous: list | None = None
    for index in range(1, rows + 1):
        if previous is not None and rng.random() < 0.005:
            sheet.append([index, *previous[1:]])  # a repeated row
            continue
        kind = rng.choice(_KINDS)
        code = _code(index, kind)
        roll = rng.random()
        if roll < 0.01:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")  # wrong check character
        elif roll < 0.03:
            code = code.lower()
        elif roll < 0.04:
            code = f" {code[:6]} {code[6:]} "
        elif roll < 0.05:
            code = "".join(chr(ord(c) + 0xFEE0) for c in code)  # full width
        phone: object = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        if rng.random() < 0.05:
            phone = float(phone)
        headcount: object = rng.randint(1, 1500)
        if rng.random() < 0.1:
            headcount = f"{headcount}人"
        elif rng.random() < 0.1:
            headcount = str(headcount)
        day = datetime.date(1995, 1, 1) + datetime.timedelta(days=rng.randrange(11000))
        row = [
            index,
            f"天津{index}号测试有限公司" if kind != "个体工商户" else f"西青区{index}号便利店",
            code,
            kind,
            rng.choice(_UNIT_SPELLINGS),
            "张伟",
            "李娜",
            phone,
            headcount,
            rng.choice(_INDUSTRIES),
            f"天津市西青区测试路{index % 300 + 1}号",
            _date_cell(rng, day),
        ]
        sheet.append(row)
        previous = row
    sheet.append([])
    sheet.append(["填表人：王敏", "", "", "审核人：李强", "", "", "联系电话：022-27390000"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_phase_peak() -> bool:
    """Reset the kernel's high-water mark of this process's RSS (Linux: VmHWM), so the peak
    of the next phase can be read on its own; False where that is not possible."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _phase_peak_mb() -> float:
    """The peak RSS since the last ``_reset_phase_peak`` (else since the process started)."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_rss_mb()


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _remove_generated() -> int:
    from django.test import override_settings

    from employers.models import Employer

    marked = Employer.objects.filter(credit_code__regex=rf"^9[12]120111{MARK}").order_by()
    Employer.history.filter(credit_code__regex=rf"^9[12]120111{MARK}").delete()
    # In slices, so the deletion (which collects the related rows in Python) does not leave
    # this process holding hundreds of MB that would count in the next phase's peak; without a
    # history row per deleted employer (simple_history writes them one INSERT at a time: ten
    # minutes for 100,000 at load 10).
    count = 0
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        while ids := list(marked.values_list("pk", flat=True)[:5000]):
            deleted, _detail = Employer.objects.filter(pk__in=ids).delete()
            count += deleted
    return count


@contextmanager
def _without_subscribers() -> Iterator[None]:
    from employers.signals import employers_imported

    saved = employers_imported.receivers[:]
    employers_imported.receivers.clear()
    employers_imported.sender_receivers_cache.clear()
    try:
        yield
    finally:
        employers_imported.receivers[:] = saved
        employers_imported.sender_receivers_cache.clear()


def _change_generated() -> int:
    """Change the imported employers so that importing the file again updates every one of
    them: the headcount of all, the name of every third (two sets of changed fields)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Mod

    from employers.models import Employer

    marked = Employer.objects.filter(credit_code__regex=rf"^9[12]120111{MARK}")
    changed = marked.update(headcount=F("headcount") + 1)
    marked.alias(third=Mod("id", 3)).filter(third=0).update(name=Concat("name", Value("（旧）")))
    return changed


def _settle() -> None:
    """What autovacuum does soon after a bulk change, done now: the removed rows of an earlier
    phase would otherwise slow the next import's unique-index checks (the same codes come
    back). PostgreSQL only; inside a transaction (the smoke test) ANALYZE only."""
    from bench.metrics import settle
    from employers.models import Employer

    settle(Employer, Employer.history.model)


@contextmanager
def _timing_subscribers() -> Iterator[list[float]]:
    """Seconds spent sending employers_imported: its receivers run there (after the commit,
    when the import is already written), so this is what they add to the import."""
    from employers.signals import employers_imported

    spent = [0.0]
    send = employers_imported.send

    def timed_send(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return send(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    employers_imported.send = timed_send  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        del employers_imported.send


def _timed_import(path: Path, *, subscribers: bool = False) -> tuple[float, object, float]:
    """One import: seconds, result and the peak RSS of the import itself."""
    from employers import importer as services

    _reset_phase_peak()
    start = time.perf_counter()
    if subscribers:
        result = services.roster_import(path=path)
    else:
        with _without_subscribers():
            result = services.roster_import(path=path)
    return time.perf_counter() - start, result, _phase_peak_mb()


def measure(
    path: Path, *, keep: bool, with_subscribers: bool = False, with_updates: bool = True
) -> dict[str, float]:
    """Time each phase on ``path``; return the figures (also printed).

    The last two ``services.roster_import`` calls are always the import into an empty registry
    and the re-import of the same file (bench/imports.py reads them in that order); the phases
    that need employers already present (every row updated, and, with ``with_subscribers``,
    the import with the ratings app rating the new employers) run before them."""
    from django.db import connection

    from core import spreadsheets as sheets
    from employers import roster
    from employers.importer import RosterImporter
    from imports.pipeline import records_of

    figures: dict[str, float] = {"rss_after_setup_mb": _peak_rss_mb()}
    removed = _remove_generated()
    if removed:
        print(f"removed {removed} employers left by an earlier run")

    _reset_phase_peak()
    start = time.perf_counter()
    with sheets.open_table(
        path, aliases=roster.ROSTER_COLUMNS, required=roster.REQUIRED_FIELDS
    ) as table:
        rows = sum(1 for _row in table)
    read_s = time.perf_counter() - start
    read_peak = _phase_peak_mb()

    _reset_phase_peak()
    start = time.perf_counter()
    valid = rejected = 0

    def reject(_row: sheets.Row, _problems: list) -> None:
        nonlocal rejected
        rejected += 1

    with sheets.open_table(
        path, aliases=roster.ROSTER_COLUMNS, required=roster.REQUIRED_FIELDS
    ) as table:
        for _record in records_of(RosterImporter(), table, reject):
            valid += 1
    validate_s = time.perf_counter() - start
    validate_peak = _phase_peak_mb()

    lines: list[str] = []
    _settle()
    if with_subscribers:
        # The import as the application runs it: after the commit the ratings app rates every
        # new employer (ratings/signals.py), in the same request in the browser.
        with _timing_subscribers() as spent:
            subscribed_s, subscribed, _peak = _timed_import(path, subscribers=True)
        figures.update(import_with_subscribers_s=subscribed_s, subscribers_s=spent[0])
        lines.append(
            f"import + subscribers (ratings rates the new employers after the commit): "
            f"{subscribed_s:6.2f} s  {subscribed.summary}; of which the subscribers "
            f"{spent[0]:.2f} s"
        )
    if with_updates:
        if not with_subscribers:
            _timed_import(path)
        changed = _change_generated()
        _settle()
        update_s, updated, update_peak = _timed_import(path)
        figures.update(update_s=update_s, update_rows_per_s=rows / update_s)
        lines.append(
            f"re-import, {changed} employers changed: {update_s:6.2f} s  "
            f"{rows / update_s:9,.0f} rows/s  {updated.summary}  peak {update_peak:.0f} MB"
        )
    _remove_generated()
    _settle()

    # The import itself, without the apps that subscribe to employers_imported.
    write_s, first, import_peak = _timed_import(path)
    reimport_s, second, reimport_peak = _timed_import(path)

    figures.update(
        rows=rows,
        valid=valid,
        rejected=rejected,
        read_s=read_s,
        read_rows_per_s=rows / read_s,
        validate_s=validate_s,
        validate_rows_per_s=rows / validate_s,
        import_s=write_s,
        import_rows_per_s=rows / write_s,
        reimport_s=reimport_s,
        reimport_rows_per_s=rows / reimport_s,
        read_peak_mb=read_peak,
        validate_peak_mb=validate_peak,
        import_peak_mb=import_peak,
        reimport_peak_mb=reimport_peak,
        peak_rss_mb=_peak_rss_mb(),
    )
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"file: {path.name} ({path.stat().st_size / 1024 / 1024:.1f} MB), {rows} data rows")
    print(
        f"read:              {read_s:6.2f} s  {rows / read_s:9,.0f} rows/s  peak {read_peak:.0f} MB"
    )
    print(
        f"read + validate:   {validate_s:6.2f} s  {rows / validate_s:9,.0f} rows/s  "
        f"({valid} valid, {rejected} rejected)  peak {validate_peak:.0f} MB"
    )
    print(
        f"import (write):    {write_s:6.2f} s  {rows / write_s:9,.0f} rows/s  {first.summary}  "
        f"peak {import_peak:.0f} MB"
    )
    print(
        f"re-import:         {reimport_s:6.2f} s  {rows / reimport_s:9,.0f} rows/s  "
        f"{second.summary}  peak {reimport_peak:.0f} MB"
    )
    for line in lines:
        print(line)
    print(
        f"peak RSS of the whole run: {figures['peak_rss_mb']:.0f} MB "
        f"(after Django setup: {figures['rss_after_setup_mb']:.0f} MB)"
    )
    if not keep:
        _remove_generated()
    return figures


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the imported employers")
    parser.add_argument(
        "--no-subscribers",
        action="store_true",
        help="skip the import with the ratings app rating the new employers",
    )
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = OUT / f"roster-{args.rows}-{args.seed}.xlsx"
    if args.generate_only:
        _setup_django()
        start = time.perf_counter()
        generate_roster(path, args.rows, args.seed)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s")
        return
    if not path.exists():
        # In a child process, so the generator's memory is not part of the import's peak.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate-only",
                f"--rows={args.rows}",
                f"--seed={args.seed}",
            ],
            check=True,
        )
    _setup_django()
    _migrate()
    measure(path, keep=args.keep, with_subscribers=not args.no_subscribers)


if __name__ == "__main__":
    main(sys.argv[1:])
