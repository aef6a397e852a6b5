"""Training of C employers' people: sessions, attendees, the untrained flag, the panel."""

import datetime

import pytest
from django.utils import timezone

from planning.models import TrainingAttendance, TrainingSession
from tests.access import assert_sent_to_login
from tests.factories import EmployerFactory

from .factories import RatingFactory, TrainingAttendanceFactory, TrainingSessionFactory

LIST = "/ratings/training/"
NEW = "/ratings/training/new/"
TODAY = timezone.localdate()


def _detail(session: TrainingSession) -> str:
    return f"/ratings/training/{session.pk}/"


def _edit(session: TrainingSession) -> str:
    return f"/ratings/training/{session.pk}/edit/"


@pytest.fixture
def c_lqz(unit_lqz):
    employer = EmployerFactory(unit=unit_lqz, name="李七庄C级培训对象")
    RatingFactory(employer=employer, since=TODAY - datetime.timedelta(days=30))
    return employer


@pytest.fixture
def c_ylq(unit_ylq):
    employer = EmployerFactory(unit=unit_ylq, name="杨柳青C级培训对象")
    RatingFactory(employer=employer, since=TODAY - datetime.timedelta(days=30))
    return employer


@pytest.fixture
def b_lqz(unit_lqz):
    employer = EmployerFactory(unit=unit_lqz, name="李七庄B级单位")
    RatingFactory(employer=employer, level="B", clause_codes="")
    return employer


def _post_data(employer_rows: list[dict], **session) -> dict:
    data = {
        "held_on": session.get("held_on", TODAY.isoformat()),
        "topic": session.get("topic", "劳动保障守法培训"),
        "organiser": session.get("organiser", "西青区人社局"),
        "att-TOTAL_FORMS": str(max(3, len(employer_rows))),
        "att-INITIAL_FORMS": "0",
        "att-MIN_NUM_FORMS": "0",
        "att-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(employer_rows):
        for field, value in row.items():
            data[f"att-{i}-{field}"] = value
    return data


# --- access ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    session = TrainingSessionFactory()
    assert_sent_to_login(client, LIST, NEW, _detail(session), _edit(session))


@pytest.mark.django_db
def test_user_without_role_gets_404(client_nobody):
    assert client_nobody.get(LIST).status_code == 404
    assert client_nobody.get(NEW).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "client_name", ["client_lqz", "client_ylq", "client_supervisor", "client_admin"]
)
def test_every_role_opens_the_training_pages(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(LIST).status_code == 200
    assert client.get(NEW).status_code == 200


# --- recording ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_inspector_records_a_session_for_an_employer_of_their_unit(
    client_lqz, inspector_lqz, c_lqz
):
    data = _post_data(
        [
            {"employer": c_lqz.pk, "person_name": "王伟", "role": "principal", "attended": "on"},
            {"employer": c_lqz.pk, "person_name": "李娜", "role": "responsible"},
        ]
    )
    response = client_lqz.post(NEW, data)
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert response["Location"] == _detail(session)
    assert session.created_by == inspector_lqz
    assert session.topic == "劳动保障守法培训"
    rows = list(session.attendances.order_by("id").values_list("person_name", "role", "attended"))
    assert rows == [("王伟", "principal", True), ("李娜", "responsible", False)]
    assert session.history.first().history_user == inspector_lqz


@pytest.mark.django_db
def test_employer_choices_are_the_c_list_of_the_users_units(
    client_lqz, client_supervisor, c_lqz, c_ylq, b_lqz
):
    def choices(client) -> set[int]:
        form = client.get(NEW).context["formset"].forms[0]
        return {e.pk for e in form.fields["employer"].queryset}

    assert choices(client_lqz) == {c_lqz.pk}
    assert choices(client_supervisor) == {c_lqz.pk, c_ylq.pk}


@pytest.mark.django_db
def test_inspector_cannot_record_an_employer_of_another_unit(client_lqz, c_ylq):
    data = _post_data([{"employer": c_ylq.pk, "person_name": "赵六", "role": "principal"}])
    response = client_lqz.post(NEW, data)
    assert response.status_code == 200
    assert "employer" in response.context["formset"].forms[0].errors
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_non_c_employer_is_refused(client_lqz, b_lqz):
    data = _post_data([{"employer": b_lqz.pk, "person_name": "赵六", "role": "principal"}])
    response = client_lqz.post(NEW, data)
    assert response.status_code == 200
    assert not TrainingAttendance.objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_named(client_lqz, c_lqz):
    data = _post_data(
        [{"employer": c_lqz.pk, "person_name": "", "role": "principal"}], topic="", held_on="昨天"
    )
    response = client_lqz.post(NEW, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"topic", "held_on"}
    assert "person_name" in response.context["formset"].forms[0].errors
    assert 'data-testid="field-error"' in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_supervisor_records_for_any_unit(client_supervisor, supervisor, c_lqz, c_ylq):
    data = _post_data(
        [
            {"employer": c_lqz.pk, "person_name": "王伟", "role": "principal", "attended": "on"},
            {"employer": c_ylq.pk, "person_name": "刘洋", "role": "principal", "attended": "on"},
        ]
    )
    assert client_supervisor.post(NEW, data).status_code == 302
    assert TrainingAttendance.objects.count() == 2


@pytest.mark.django_db
def test_inspector_edits_only_their_units_attendees(client_lqz, c_lqz, c_ylq):
    session = TrainingSessionFactory()
    mine = TrainingAttendanceFactory(session=session, employer=c_lqz, person_name="王伟")
    theirs = TrainingAttendanceFactory(session=session, employer=c_ylq, person_name="刘洋")
    response = client_lqz.get(_edit(session))
    assert response.status_code == 200
    assert [f.instance.pk for f in response.context["formset"].initial_forms] == [mine.pk]
    assert "刘洋" not in response.content.decode()

    data = _post_data([], topic="改过的主题")
    data.update(
        {
            "att-TOTAL_FORMS": "1",
            "att-INITIAL_FORMS": "1",
            "att-0-id": str(mine.pk),
            "att-0-employer": str(c_lqz.pk),
            "att-0-person_name": "王伟",
            "att-0-role": "principal",
        }
    )  # attended unticked
    assert client_lqz.post(_edit(session), data).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.attended is False
    assert theirs.attended is True
    session.refresh_from_db()
    assert session.topic == "改过的主题"


@pytest.mark.django_db
def test_inspector_cannot_tamper_with_another_units_attendee(client_lqz, c_lqz, c_ylq):
    session = TrainingSessionFactory()
    TrainingAttendanceFactory(session=session, employer=c_lqz)
    theirs = TrainingAttendanceFactory(session=session, employer=c_ylq, person_name="刘洋")
    data = _post_data([])
    data.update(
        {
            "att-TOTAL_FORMS": "1",
            "att-INITIAL_FORMS": "1",
            "att-0-id": str(theirs.pk),
            "att-0-employer": str(c_lqz.pk),
            "att-0-person_name": "篡改",
            "att-0-role": "principal",
        }
    )
    client_lqz.post(_edit(session), data)
    # the row outside the inspector's units is not found in their formset: nothing changes
    theirs.refresh_from_db()
    assert theirs.person_name == "刘洋"
    assert theirs.employer_id == c_ylq.pk
    assert not TrainingAttendance.objects.filter(person_name="篡改").exists()


@pytest.mark.django_db
def test_session_of_another_unit_is_404_for_an_inspector(client_lqz, client_ylq, c_ylq):
    session = TrainingSessionFactory()
    TrainingAttendanceFactory(session=session, employer=c_ylq)
    assert client_lqz.get(_detail(session)).status_code == 404
    assert client_lqz.get(_edit(session)).status_code == 404
    assert client_lqz.post(_edit(session), _post_data([])).status_code == 404
    assert client_ylq.get(_detail(session)).status_code == 200


@pytest.mark.django_db
def test_own_empty_session_stays_visible(client_lqz, inspector_lqz):
    session = TrainingSessionFactory(created_by=inspector_lqz)
    assert client_lqz.get(_detail(session)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["client_supervisor", "client_admin"])
def test_supervisor_and_admin_open_any_session(request, client_name, c_ylq):
    session = TrainingSessionFactory()
    TrainingAttendanceFactory(session=session, employer=c_ylq, person_name="刘洋")
    response = request.getfixturevalue(client_name).get(_detail(session))
    assert response.status_code == 200
    assert "刘洋" in response.content.decode()


# --- the untrained flag ---------------------------------------------------------------------


@pytest.mark.django_db
def test_training_page_flags_untrained_c_employers_in_scope(client_lqz, client_ylq, c_lqz, c_ylq):
    response = client_lqz.get(LIST)
    flagged = {row.record.name for row in response.context["untrained_table"].page.object_list}
    assert flagged == {"李七庄C级培训对象"}
    response = client_ylq.get(LIST)
    flagged = {row.record.name for row in response.context["untrained_table"].page.object_list}
    assert flagged == {"杨柳青C级培训对象"}


@pytest.mark.django_db
def test_attending_after_becoming_c_clears_the_flag(client_supervisor, c_lqz, c_ylq):
    session = TrainingSessionFactory(held_on=TODAY)
    TrainingAttendanceFactory(session=session, employer=c_lqz)
    response = client_supervisor.get(LIST)
    flagged = {row.record.name for row in response.context["untrained_table"].page.object_list}
    assert flagged == {"杨柳青C级培训对象"}
    sessions = list(response.context["sessions_table"].page.object_list)
    assert sessions[0].record.attendee_count == 1


@pytest.mark.django_db
def test_training_on_the_day_it_became_c_counts(client_supervisor, c_lqz):
    since = c_lqz.rating.since
    TrainingAttendanceFactory(session=TrainingSessionFactory(held_on=since), employer=c_lqz)
    TrainingAttendanceFactory(
        session=TrainingSessionFactory(held_on=since - datetime.timedelta(days=1)),
        employer=c_lqz,
    )
    response = client_supervisor.get(LIST)
    assert not list(response.context["untrained_table"].page.object_list)


@pytest.mark.django_db
def test_training_page_query_count_is_pinned(client_lqz, unit_lqz, django_assert_max_num_queries):
    for n in range(15):
        employer = EmployerFactory(unit=unit_lqz)
        RatingFactory(employer=employer)
        TrainingAttendanceFactory(employer=employer, session__held_on=TODAY, person_name=f"人{n}")
    # session, user, roles, intervals; sessions count + page; untrained count + page
    with django_assert_max_num_queries(8):
        assert client_lqz.get(LIST).status_code == 200
