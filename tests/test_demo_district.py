"""The demo district as ``make run`` leaves it: the shared sample files import into it cleanly,
its names read like Tianjin companies, and the early-warning page has rows to show."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from employers.demo import _SHOPS, DEMO_TRADES, demo_employers
from employers.models import Employer, Unit
from inspections.demo import DEMO_CASE_SERIAL_FROM
from inspections.models import Case
from inspections.services import CASE_NUMBER_PATTERN
from ratings.demo import EARLY_WARNINGS_DISTRICT, EARLY_WARNINGS_UNIT, INSPECTOR_UNIT
from ratings.selectors import early_warning_cases_district

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
LEDGER = FIXTURES / "案件台账_示例.xlsx"
# The roster samples and their summary lines (../shared/data/README.md).
ROSTERS = [
    ("李七庄街_用人单位花名册_2026年10月.xlsx", "created=74 updated=0 unchanged=0 rejected=6"),
    ("杨柳青镇_用人单位名单.xls", "created=50 updated=0 unchanged=0 rejected=0"),
    ("精武镇_用人单位.csv", "created=40 updated=0 unchanged=0 rejected=0"),
]
# Enough for a few dozen cases in each of the last two years: numbered from 001, as they were,
# they took the sample ledger's numbers.
DEMO_EMPLOYERS = 600


def _command(*args: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def _ledger_cases() -> int:
    sheet = openpyxl.load_workbook(LEDGER, read_only=True).active
    return sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0])


def _odd_parts_of(name: str, places: list[str]) -> list[str]:
    """What makes a name read unlike a real one: a street's or town's name inside it, or the
    district stacked on the city the wrong way round."""
    odd = [place for place in places if place in name]
    odd += [part for part in ("区市", "市西青区") if part in name]
    if name.count("西青") > 1:
        odd.append("西青 twice")
    return odd


def _places() -> list[str]:
    names = list(Unit.objects.values_list("name", flat=True))
    return names + [name.removesuffix("街道").removesuffix("镇") for name in names]


TRADES = "|".join(trade for trade, _short, _industry in DEMO_TRADES)
SHOPS = "|".join(_SHOPS)
NAME_FORMS = {
    Employer.Kind.ENTERPRISE: rf"天津市?\w{{2,4}}({TRADES})(有限公司|有限责任公司)",
    Employer.Kind.INDIVIDUAL: rf"西青区\w{{2,3}}({SHOPS})",
    Employer.Kind.AGENCY: r"天津市?\w{2,4}人力资源服务有限公司",
    Employer.Kind.TRAINING: r"西青区\w{2,4}职业技能培训学校",
}


@pytest.mark.parametrize("seed", [2026, 7])
def test_every_demo_name_reads_like_a_tianjin_employer(seed):
    places = _places()
    employers = demo_employers(2000, seed)  # what seed_demo writes with its defaults
    odd = {e.name: _odd_parts_of(e.name, places) for e in employers}
    assert not {name: parts for name, parts in odd.items() if parts}
    wrong_form = [e.name for e in employers if not re.fullmatch(NAME_FORMS[e.kind], e.name)]
    assert not wrong_form
    assert len({e.name for e in employers}) == len(employers)
    assert {e.kind for e in employers} == set(Employer.Kind.values)


def test_the_sample_ledger_and_rosters_import_cleanly_into_the_seeded_district():
    _command("seed_demo", "--employers", str(DEMO_EMPLOYERS))
    seeded = list(Case.objects.values_list("number", flat=True))
    assert len(seeded) > 30
    for number in seeded:
        assert int(CASE_NUMBER_PATTERN.match(number)["serial"]) >= DEMO_CASE_SERIAL_FROM, number
    # the names written are the generator's, checked above
    written = set(Employer.objects.values_list("name", flat=True))
    assert written == {e.name for e in demo_employers(DEMO_EMPLOYERS, 2026)}

    for name, summary in ROSTERS:
        assert _command("import_roster", str(FIXTURES / name)) == summary, name
    cases = _ledger_cases()
    assert cases == 30
    assert _command("import_cases", str(LEDGER)) == (
        f"created={cases} updated=0 unchanged=0 rejected=0"
    )
    assert Case.objects.count() == len(seeded) + cases
    # importing it again changes nothing; the seeding after it (make run) adds nothing
    assert _command("import_cases", str(LEDGER)) == (
        f"created=0 updated=0 unchanged={cases} rejected=0"
    )
    _command("seed_demo", "--employers", str(DEMO_EMPLOYERS))
    assert Case.objects.count() == len(seeded) + cases


def test_the_early_warning_page_lists_cases_for_the_inspector_and_the_district(client):
    _command("seed_demo", "--employers", str(DEMO_EMPLOYERS))
    today = timezone.localdate()
    due = list(early_warning_cases_district(today=today).select_related("employer__unit"))
    assert len(due) >= EARLY_WARNINGS_DISTRICT
    in_unit = [c.number for c in due if c.employer.unit.code == INSPECTOR_UNIT]
    assert len(in_unit) >= EARLY_WARNINGS_UNIT
    users = get_user_model().objects
    url = reverse("ratings:early_warning")

    client.force_login(users.get(username="inspector"))
    page = client.get(url)
    assert page.status_code == 200
    shown = [row.record.number for row in page.context["table"].rows]
    assert sorted(shown) == sorted(in_unit)
    assert all(number in page.content.decode() for number in in_unit)

    client.force_login(users.get(username="supervisor"))
    page = client.get(url)
    shown = [row.record.number for row in page.context["table"].rows]
    assert sorted(shown) == sorted(c.number for c in due)
