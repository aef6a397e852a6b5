"""The working calendar beyond the package: the table of official days first, then
chinesecalendar, then an estimate that leaves out the statutory holidays; entering a year's
schedule moves the open deadlines that depend on it.

The 2027 days below are made up for the tests (the bureau enters the real ones from the State
Council notice): 元旦 Fri 1 January; 春节 Fri 5 to Thu 11 February off on weekdays, with
Saturday 20 February a make-up working day."""

import datetime
import importlib

import chinese_calendar
import pytest
from django.apps import apps as django_apps

from complaints.models import Complaint
from core import dates, workdays
from core.models import OfficialDay
from core.services import OfficialDayInput, official_days_replace_year
from core.workdays import (
    SOURCE_ESTIMATE,
    SOURCE_PACKAGE,
    SOURCE_TABLE,
    CalendarYearUnknown,
    add_workdays,
    add_workdays_estimated,
    is_workday,
    statutory_holidays,
    year_is_known,
    year_source,
)
from tests.complaints.factories import accept, register

D = datetime.date
URL = "/admin-tools/calendar/"

TEST_2027 = [
    OfficialDayInput(D(2027, 1, 1), "holiday", "元旦"),
    *(OfficialDayInput(D(2027, 2, day), "holiday", "春节") for day in (5, 8, 9, 10, 11)),
    OfficialDayInput(D(2027, 2, 20), "workday", "春节"),
]
TEST_2027_LINES = "\n".join(f"{day.date.isoformat()} {day.kind} {day.name}" for day in TEST_2027)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(db):
    # A transactional test earlier in the run (browser journeys, workers) flushes the rows the
    # data migration seeded: put them back the way the migration does.
    if not OfficialDay.objects.filter(source__startswith="chinesecalendar").exists():
        seed = importlib.import_module("core.migrations.0002_official_days_seed").seed
        seed(django_apps, None)
    # A test's rows vanish with its rolled-back transaction; the cached table must go too.
    workdays.official_days_invalidate()
    yield
    workdays.official_days_invalidate()


@pytest.fixture
def december_first(monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2026, 12, 1))


def enter_2027(user=None, days=TEST_2027):
    return official_days_replace_year(
        year=2027, days=days, source="国办发明电〔2026〕测试号", user=user
    )


# --- the estimate ------------------------------------------------------------------------


def test_2027_is_estimated_until_entered():
    assert year_source(2026) == SOURCE_TABLE  # seeded from the package
    assert year_source(2027) == SOURCE_ESTIMATE
    assert not year_is_known(D(2027, 3, 1))
    with pytest.raises(CalendarYearUnknown) as error:
        is_workday(D(2027, 1, 4))
    assert "2027" in str(error.value)


def test_estimate_leaves_out_the_statutory_holidays_of_2027():
    holidays = statutory_holidays(2027)
    assert len(holidays) == 13
    spring_festival = {D(2027, 2, day) for day in (5, 6, 7, 8)}  # 除夕 to 初三
    assert spring_festival <= holidays
    assert {
        D(2027, 1, 1),
        D(2027, 4, 5),  # 清明
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 6, 9),  # 端午, 5th of the fifth lunar month
        D(2027, 9, 15),  # 中秋, 15th of the eighth lunar month
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
    } <= holidays
    for day in (D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8)):  # Fri, Fri (除夕), Mon (初三)
        assert day.weekday() < 5
        assert workdays.is_workday_estimated(day) == (False, True)
    # An ordinary weekday is still a working day in the estimate, and says it is estimated.
    assert workdays.is_workday_estimated(D(2027, 2, 9)) == (True, True)
    # Friday 31 December 2026 (package) to Monday 4 January 2027: 1 January is left out.
    assert add_workdays_estimated(D(2026, 12, 31), 1) == (D(2027, 1, 4), True)


def test_estimate_matches_the_law_against_a_year_the_package_knows():
    # 2026 as the package has it: each statutory holiday is a day off there too.
    for day in statutory_holidays(2026):
        assert not chinese_calendar.is_workday(day), day


# --- the table ---------------------------------------------------------------------------


def test_the_seeded_table_says_what_the_package_says():
    assert OfficialDay.objects.filter(year=2026, name="春节").exists()
    day = D(2024, 1, 1)
    while day <= D(2026, 12, 31):
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_the_table_wins_over_the_package():
    # Tuesday 10 March 2026 is an ordinary working day for the package.
    assert chinese_calendar.is_workday(D(2026, 3, 10))
    OfficialDay.objects.create(date=D(2026, 3, 10), kind="holiday", year=2026, name="测试")
    assert not is_workday(D(2026, 3, 10))
    # And a year the package knows but the table does not falls back on the package.
    OfficialDay.objects.filter(year=2025).delete()
    assert year_source(2025) == SOURCE_PACKAGE
    assert not is_workday(D(2025, 1, 1))


def test_entering_a_year_makes_it_known_and_exact():
    enter_2027()
    assert year_source(2027) == SOURCE_TABLE
    assert not is_workday(D(2027, 2, 11))
    assert is_workday(D(2027, 2, 20))  # the make-up Saturday
    assert is_workday(D(2027, 2, 12))
    assert add_workdays_estimated(D(2027, 2, 4), 1) == (D(2027, 2, 12), False)
    assert add_workdays(D(2027, 2, 19), 1) == D(2027, 2, 20)
    row = OfficialDay.objects.get(date=D(2027, 2, 20))
    assert row.source == "国办发明电〔2026〕测试号" and row.year == 2027


def test_replacing_a_year_removes_its_old_rows():
    enter_2027()
    enter_2027(days=[OfficialDayInput(D(2027, 1, 1), "holiday", "元旦")])
    assert list(OfficialDay.objects.filter(year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1)
    ]
    assert is_workday(D(2027, 2, 10))


# --- deadlines move ----------------------------------------------------------------------


def test_an_entered_2027_schedule_moves_an_open_complaints_deadline(
    inspector_lqz, inspector_lqz2, employer_lqz
):
    complaint = register(user=inspector_lqz, employer=employer_lqz, received_on=D(2026, 12, 1))
    complaint = accept(
        complaint,
        user=inspector_lqz,
        inspectors=[inspector_lqz, inspector_lqz2],
        accepted_on=D(2026, 12, 2),
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED
    # 60 working days after 2 December 2026, 2027 estimated: 21 in December, then weekdays
    # without 1 January, 5 and 8 February -> Monday 1 March 2027.
    assert complaint.due_on == D(2027, 3, 1) and complaint.due_estimated

    moved = enter_2027()

    complaint.refresh_from_db()
    # Four more weekdays off (9-11 February ... 5 and 8 were already out) and one make-up
    # Saturday: three working days later, Wednesday 3 March.
    assert complaint.due_on == D(2027, 3, 3) and not complaint.due_estimated
    assert complaint.investigation_due_on == D(2027, 3, 3)
    [row] = [row for row in moved if row.number == complaint.number]
    assert (row.before, row.after) == (D(2027, 3, 1), D(2027, 3, 3))
    assert row.estimated_before and not row.estimated_after


def test_a_closed_complaint_keeps_its_deadline(inspector_lqz, inspector_lqz2, employer_lqz):
    complaint = register(user=inspector_lqz, employer=employer_lqz, received_on=D(2026, 12, 1))
    accept(complaint, user=inspector_lqz, inspectors=[inspector_lqz, inspector_lqz2])
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.CLOSED, outcome=Complaint.Outcome.MEDIATED, closed_on=D(2026, 12, 1)
    )
    before = Complaint.objects.get(pk=complaint.pk).due_on
    assert enter_2027() == []
    assert Complaint.objects.get(pk=complaint.pk).due_on == before


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("client_lqz", 403), ("client_supervisor", 403), ("client_admin", 200)]
)
def test_only_admins_open_the_calendar(request, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == status
    assert client.get(f"{URL}2027/").status_code == status


def test_a_user_without_a_role_gets_404(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x" * 12)
    client.force_login(user)
    assert client.get(URL).status_code == 404


def test_overview_lists_years_and_where_they_come_from(client_admin, december_first):
    body = client_admin.get(URL).content.decode()
    assert 'data-testid="calendar-year-2027"' in body
    assert 'data-testid="calendar-year-2026"' in body
    assert 'data-testid="estimated"' in body
    assert f'href="{URL}2027/"' in body


def test_entering_2027_on_the_page_confirms_then_lists_the_moved_deadline(
    client_admin, admin_user, inspector_lqz, inspector_lqz2, employer_lqz
):
    complaint = register(user=inspector_lqz, employer=employer_lqz, received_on=D(2026, 12, 1))
    accept(
        complaint,
        user=inspector_lqz,
        inspectors=[inspector_lqz, inspector_lqz2],
        accepted_on=D(2026, 12, 2),
    )
    data = {"source": "国办发明电〔2026〕测试号", "lines": TEST_2027_LINES}

    response = client_admin.post(f"{URL}2027/", data)
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="confirm"' in body
    assert not OfficialDay.objects.filter(year=2027).exists()  # nothing saved before confirming

    response = client_admin.post(f"{URL}2027/", {**data, "confirm": "1"})
    body = response.content.decode()
    assert 'data-testid="calendar-saved"' in body
    assert complaint.number in body and "2027-03-01" in body and "2027-03-03" in body
    assert OfficialDay.objects.filter(year=2027).count() == len(TEST_2027)
    assert set(OfficialDay.objects.values_list("entered_by", flat=True).filter(year=2027)) == {
        admin_user.pk
    }


def test_bad_lines_are_named_and_nothing_is_saved(client_admin):
    data = {
        "source": "国办发明电〔2026〕测试号",
        "lines": "2027-01-01 holiday 元旦\n2027-02-30 holiday 春节\n2027-02-20 maybe\n2031-01-01 休",
        "confirm": "1",
    }
    body = client_admin.post(f"{URL}2027/", data).content.decode()
    assert 'data-testid="field-error"' in body
    assert "2027-02-30" in body and "maybe" in body and "2031-01-01" in body
    assert not OfficialDay.objects.filter(year=2027).exists()


def test_chinese_kind_words_and_a_31_december_entry_are_accepted(client_admin):
    data = {
        "source": "国办发明电〔2026〕测试号",
        "lines": "2026-12-31 休 元旦\n2027/1/1 休 元旦\n2027年2月20日 班 春节",
        "confirm": "1",
    }
    assert 'data-testid="calendar-saved"' in client_admin.post(f"{URL}2027/", data).content.decode()
    assert OfficialDay.objects.get(date=D(2026, 12, 31)).year == 2027
    assert not is_workday(D(2026, 12, 31))
    assert is_workday(D(2027, 2, 20))


def test_an_estimated_year_is_not_prefilled_with_guesses(client_admin):
    response = client_admin.get(f"{URL}2027/")
    assert response.context["form"].initial == {}


# --- the banner --------------------------------------------------------------------------


def test_banner_for_admins_on_1_december_while_next_year_is_missing(
    client_admin, client_lqz, december_first
):
    assert 'data-testid="calendar-banner"' in client_admin.get("/employers/").content.decode()
    assert 'data-testid="calendar-banner"' not in client_lqz.get("/employers/").content.decode()
    enter_2027()
    assert 'data-testid="calendar-banner"' not in client_admin.get("/employers/").content.decode()


def test_no_banner_before_december(client_admin, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2026, 11, 30))
    assert 'data-testid="calendar-banner"' not in client_admin.get("/employers/").content.decode()


def test_admin_menu_links_the_calendar(client_admin, client_lqz):
    assert f'href="{URL}"' in client_admin.get("/employers/").content.decode()
    assert f'href="{URL}"' not in client_lqz.get("/employers/").content.decode()
