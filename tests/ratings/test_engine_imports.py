"""End to end: import a street roster and the case ledger, and every employer's exported level
and clauses are what the regulation says, with no extra step (no manual rerate)."""

import csv
import datetime

import pytest
from django.core.management import call_command

from tests.clock import today_is

D = datetime.date

# Derived by hand from tests/fixtures/案件台账_示例.xlsx for 2026-11-15 (window: decisions after
# 2025-11-15). Every other employer of the roster has no case and is A.
EXPECTED = {
    # 2025-001 and 2025-016: orders never rectified (decided before the window: C2 still holds);
    # 2026-013 and 2025-019 withdrawn
    "91120111MA933B5E9M": ("C", "C2"),
    # in the window 2026-002, 2026-010 (decision not performed), 2025-020 (penalty):
    # three sanctions; 2025-009 decided before the window but its order is still open
    "91120111MA4RAAAR5R": ("C", "C1;C2;C3;C4"),
    "91120111MA196A6Y37": ("A", ""),  # decided 2025-09-15, rectified in time: out of window
    "91120111MA7BGA9X1Q": ("B", ""),  # 2026-07-20, rectified in time
    "91120111MAC7AJHT7M": ("C", "C2"),  # two sanctions in the window; 2025-008 never rectified
    "91120111MA8BX6200X": ("C", "C2"),  # 2026-018 deadline 2026-07-09 passed, not rectified
    "91120111MA0YFLH99G": ("C", "C3"),  # decision deadline 2026-02-06 passed, not performed
    "91120111MAU2GDBU1C": ("B", ""),  # decided 2026-02-05, rectified in time
    "91120111MA98BD655Y": ("A", ""),  # penalty decided 2025-05-03: left the window
    "91120111MA0XK5Q72G": ("A", ""),  # 2025-06-11 out of window; 2026-022 withdrawn
    "91120111MAC9PQT5XC": ("A", ""),
    "91120111MA8U41N695": ("C", "C4"),  # penalty decided 2026-05-21
    "91120111MA90BFGC4M": ("A", ""),  # penalty decided 2025-09-02: out of window
    "92120111MAG8PH8Y56": ("C", "C2"),  # 2026-023 deadline 2026-04-14 passed, not rectified
    "91120111MA99CFEP1B": ("A", ""),  # its only case withdrawn
    "91120111MAD58RX02K": ("A", ""),  # rectified late (cleared) and out of window
    "92120111MA9J9U9P3Q": ("A", ""),  # rectified late (cleared) and out of window
}


@pytest.mark.django_db(transaction=True)
def test_roster_then_ledger_gives_every_employer_its_level(fixture_path, tmp_path):
    roster = fixture_path / "李七庄街_用人单位花名册_2026年10月.xlsx"
    ledger = fixture_path / "案件台账_示例.xlsx"
    export = tmp_path / "ratings.csv"
    with today_is(D(2026, 11, 15)):
        call_command("import_roster", str(roster))
        call_command("import_cases", str(ledger))
        call_command("export_ratings", str(export))
    rows = list(csv.DictReader(export.open(encoding="utf-8-sig")))
    got = {row["统一社会信用代码"]: (row["信用等级"], row["评级依据"]) for row in rows}
    assert len(got) >= len(EXPECTED) + 1  # the roster has employers without cases too
    assert {code: got.get(code) for code in EXPECTED} == EXPECTED
    assert {level for code, (level, _c) in got.items() if code not in EXPECTED} == {"A"}
