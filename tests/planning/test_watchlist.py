"""The C-level watchlist (/watchlist/), its export and the partner C list download."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.dates import add_months
from core.exports import FORMULA_PREFIXES
from planning.selectors import last_patrol_on
from ratings.patrol_due import patrol_due_refresh
from ratings.services import employer_rerate
from tests.access import assert_sent_to_login
from tests.factories import CaseFactory, EmployerFactory, PatrolFactory
from tests.queries import assert_list_queries_fixed
from tests.workbooks import xlsx_rows

from .factories import RatingFactory, TrainingAttendanceFactory, TrainingSessionFactory

URL = "/watchlist/"
TODAY = timezone.localdate()


def _names(response) -> set[str]:
    return {row.record.name for row in response.context["table"].page.object_list}


@pytest.fixture
def c_world(unit_lqz, unit_ylq):
    """李七庄: a C employer (C2, overdue patrol, untrained) and a trained C employer (C1;C4);
    a B employer that is not on the list; 杨柳青: a C employer (C4)."""
    overdue = EmployerFactory(unit=unit_lqz, name="李七庄逾期整改公司")
    RatingFactory(employer=overdue, clause_codes="C2", since=add_months(TODAY, -6))
    PatrolFactory(employer=overdue, patrolled_on=add_months(TODAY, -4))

    trained = EmployerFactory(unit=unit_lqz, name="李七庄已培训公司")
    RatingFactory(employer=trained, clause_codes="C1;C4", since=TODAY - datetime.timedelta(days=30))
    PatrolFactory(employer=trained, patrolled_on=TODAY - datetime.timedelta(days=10))
    session = TrainingSessionFactory(held_on=TODAY - datetime.timedelta(days=20))
    TrainingAttendanceFactory(session=session, employer=trained)

    b_level = EmployerFactory(unit=unit_lqz, name="李七庄B级公司")
    RatingFactory(employer=b_level, level="B", clause_codes="")

    ylq = EmployerFactory(unit=unit_ylq, name="杨柳青处罚公司")
    RatingFactory(employer=ylq, clause_codes="C4", since=TODAY - datetime.timedelta(days=5))
    PatrolFactory(employer=ylq, patrolled_on=TODAY - datetime.timedelta(days=3))
    patrol_due_refresh()  # the factories do not commit: store the due dates here
    return {"overdue": overdue, "trained": trained, "b": b_level, "ylq": ylq}


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, c_world):
    assert_sent_to_login(
        client, URL, reverse("planning:watchlist_export"), reverse("partners:c_list_export")
    )


@pytest.mark.django_db
def test_user_without_role_gets_404(client_nobody, c_world):
    assert client_nobody.get(URL).status_code == 404


@pytest.mark.django_db
def test_inspector_sees_c_employers_of_own_units(client_lqz, c_world):
    response = client_lqz.get(URL)
    assert response.status_code == 200
    assert _names(response) == {"李七庄逾期整改公司", "李七庄已培训公司"}
    html = response.content.decode()
    # the employer links to its page; clauses carry their short text
    assert f'href="/employers/{c_world["overdue"].credit_code}/"' in html
    assert "C2" in html and "责令改正逾期未整改" in html
    assert 'data-testid="overdue"' in html
    assert 'data-testid="untrained"' in html
    # the partner C list is district-wide: not offered to inspectors
    assert 'data-testid="c-list-export"' not in html


@pytest.mark.django_db
def test_inspector_of_other_unit_does_not_see_them(client_ylq, c_world):
    response = client_ylq.get(URL)
    assert _names(response) == {"杨柳青处罚公司"}
    assert "李七庄逾期整改公司" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["client_supervisor", "client_admin"])
def test_supervisor_and_admin_see_every_c_employer(request, client_name, c_world):
    response = request.getfixturevalue(client_name).get(URL)
    assert _names(response) == {"李七庄逾期整改公司", "李七庄已培训公司", "杨柳青处罚公司"}
    assert 'data-testid="c-list-export"' in response.content.decode()


@pytest.mark.django_db
def test_columns_show_since_last_patrol_next_due_and_training(client_supervisor, c_world):
    response = client_supervisor.get(URL)
    rows = {row.record.name: row for row in response.context["table"].page.object_list}
    overdue = rows["李七庄逾期整改公司"].record
    assert last_patrol_on(overdue) == add_months(TODAY, -4)
    assert overdue.trained_on is None
    trained = rows["李七庄已培训公司"].record
    assert trained.trained_on == TODAY - datetime.timedelta(days=20)
    html = response.content.decode()
    assert add_months(TODAY, -6).isoformat() in html  # C since
    assert add_months(TODAY, -4).isoformat() in html  # last patrol
    assert add_months(add_months(TODAY, -4), 3).isoformat() in html  # next due


@pytest.mark.django_db
def test_training_before_becoming_c_does_not_count(client_supervisor, c_world):
    old = TrainingSessionFactory(held_on=add_months(TODAY, -7))
    TrainingAttendanceFactory(session=old, employer=c_world["overdue"])
    absent = TrainingSessionFactory(held_on=TODAY - datetime.timedelta(days=1))
    TrainingAttendanceFactory(session=absent, employer=c_world["overdue"], attended=False)
    response = client_supervisor.get(URL + "?untrained=1")
    assert "李七庄逾期整改公司" in _names(response)


@pytest.mark.django_db
def test_filters(client_supervisor, c_world, unit_ylq):
    def names(query: str) -> set[str]:
        response = client_supervisor.get(f"{URL}?{query}")
        assert response.status_code == 200
        return _names(response)

    assert names("clause=C4") == {"李七庄已培训公司", "杨柳青处罚公司"}
    assert names("clause=C1") == {"李七庄已培训公司"}
    assert names("clause=C2") == {"李七庄逾期整改公司"}
    assert names("overdue=1") == {"李七庄逾期整改公司"}
    assert names("untrained=1") == {"李七庄逾期整改公司", "杨柳青处罚公司"}
    assert names(f"unit={unit_ylq.pk}") == {"杨柳青处罚公司"}
    assert names(f"unit={unit_ylq.pk}&clause=C2") == set()


@pytest.mark.django_db
def test_inspector_cannot_filter_into_another_unit(client_lqz, unit_ylq, c_world):
    response = client_lqz.get(f"{URL}?unit={unit_ylq.pk}")
    assert response.status_code == 200
    assert "杨柳青处罚公司" not in _names(response)


@pytest.mark.django_db
def test_empty_state(client_lqz):
    response = client_lqz.get(URL)
    assert response.status_code == 200
    assert "没有符合筛选条件的C级用人单位" in response.content.decode()


@pytest.mark.django_db
def test_the_engines_c_rating_puts_the_employer_on_the_watchlist(client_lqz, employer_lqz):
    """Contract with the engine: the rating it stores is what the watchlist reads."""
    decided = TODAY - datetime.timedelta(days=20)
    CaseFactory(
        employer=employer_lqz,
        opened_on=decided - datetime.timedelta(days=10),
        decided_on=decided,
        penalty_issued=True,
        penalty_number="西青人社罚〔2026〕009号",
    )
    assert client_lqz.get(URL).context["table"].page.paginator.count == 0
    rating = employer_rerate(employer_id=employer_lqz.pk, cause="command")
    assert rating.level == "C"
    response = client_lqz.get(URL + "?clause=C4&untrained=1")
    assert _names(response) == {employer_lqz.name}
    assert "C4" in response.content.decode()


@pytest.mark.django_db
def test_watchlist_export_is_scoped_and_filtered(client_lqz, c_world):
    response = client_lqz.get(reverse("planning:watchlist_export") + "?untrained=1")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert len(rows) == 2
    unit, code, name, clauses, since, last, due, overdue, trained, objection = rows[1]
    assert (unit, code, name) == (
        "李七庄街道",
        c_world["overdue"].credit_code,
        "李七庄逾期整改公司",
    )
    assert clauses.startswith("C2 ")
    assert since == datetime.datetime.combine(add_months(TODAY, -6), datetime.time())
    assert last == datetime.datetime.combine(add_months(TODAY, -4), datetime.time())
    assert due == datetime.datetime.combine(add_months(add_months(TODAY, -4), 3), datetime.time())
    assert overdue == "是"
    assert trained == "未培训"
    assert objection is None  # no objection open


@pytest.mark.django_db
def test_c_list_export_for_supervisors_has_public_fields_only(client_supervisor, c_world, settings):
    # every C counts as final here (tests/partners/test_final_listing.py tests when it is)
    settings.PARTNER_REQUIRE_NOTICE_SERVED = False
    settings.PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED = False
    employer = c_world["overdue"]
    employer.contact_phone = "13812345678"
    employer.legal_representative = "张三"
    employer.save()
    response = client_supervisor.get(reverse("partners:c_list_export"))
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert len(rows) == 4  # header + three C employers, district-wide
    assert rows[0] == (
        "统一社会信用代码",
        "单位名称",
        "所属街镇",
        "信用等级",
        "评级依据",
        "列为C级日期",
    )
    flat = {str(v) for row in rows for v in row}
    assert "13812345678" not in flat and "张三" not in flat
    assert "C1;C4" in flat


@pytest.mark.django_db
def test_c_list_export_refused_to_inspectors(client_lqz, c_world):
    assert client_lqz.get(reverse("partners:c_list_export")).status_code == 403


@pytest.mark.django_db
def test_export_neutralises_formulas(client_supervisor, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz, name="=HYPERLINK(1)")
    RatingFactory(employer=employer, clause_codes="C4")
    rows = xlsx_rows(client_supervisor.get(reverse("planning:watchlist_export")))
    assert all(
        not (isinstance(v, str) and v.startswith(FORMULA_PREFIXES)) for row in rows for v in row
    )


def _make_c(count: int, unit) -> None:
    for _n in range(count):
        employer = EmployerFactory(unit=unit)
        RatingFactory(employer=employer, clause_codes="C2;C4")
        PatrolFactory(employer=employer, patrolled_on=add_months(TODAY, -5))
        TrainingAttendanceFactory(employer=employer, session__held_on=TODAY)


@pytest.mark.django_db
def test_query_count_does_not_depend_on_page_size(client_supervisor, unit_lqz, unit_ylq):
    _make_c(3, unit_lqz)
    assert_list_queries_fixed(client_supervisor, URL, lambda: _make_c(40, unit_ylq), rows=43)


@pytest.mark.django_db
def test_list_query_count_is_pinned(client_lqz, unit_lqz, django_assert_max_num_queries):
    _make_c(25, unit_lqz)
    # session, user, roles, intervals, filter's units, count, page
    with django_assert_max_num_queries(7):
        assert client_lqz.get(URL).status_code == 200


@pytest.mark.django_db
def test_order_by_unit_then_name_and_user_sorts(client_supervisor, c_world, unit_lqz, unit_ylq):
    """Default order: unit (by code), then name; a sort chosen in the header still applies."""
    assert unit_lqz.code < unit_ylq.code and unit_lqz.pk < unit_ylq.pk

    def order(query: str = "") -> list[str]:
        response = client_supervisor.get(f"{URL}{query}")
        return [row.record.name for row in response.context["table"].page.object_list]

    by_unit = ["李七庄已培训公司", "李七庄逾期整改公司", "杨柳青处罚公司"]
    assert order() == by_unit
    assert order("?sort=-unit") == by_unit[::-1]
    assert order("?sort=name") == sorted(by_unit)
    assert order("?sort=-next_due")[0] == "杨柳青处罚公司"


@pytest.mark.django_db
def test_whole_district_count_reads_ratings_only(client_supervisor, client_lqz, unit_lqz):
    _make_c(3, unit_lqz)
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, level="B", clause_codes="")
    for client, counted in ((client_supervisor, "ratings_rating"), (client_lqz, "employer")):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}?per_page=2")
        assert response.context["table"].paginator.count == 3
        assert response.context["table"].paginator.num_pages == 2
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1
        assert counted in counts[0]
        # The supervisor's count does not join employers; the inspector's is scoped by unit.
        assert ("employers_employer" in counts[0]) is (client is client_lqz)
    filtered = client_supervisor.get(f"{URL}?unit={unit_lqz.pk}&per_page=2")
    assert filtered.context["table"].paginator.count == 3
