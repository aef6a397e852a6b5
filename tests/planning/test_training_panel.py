"""The training panel on the employer page (order 60)."""

import datetime

import pytest
from django.utils import timezone

from planning.panels import training_panel_context
from tests.factories import EmployerFactory

from .factories import RatingFactory, TrainingAttendanceFactory, TrainingSessionFactory

TODAY = timezone.localdate()


def _page(client, employer) -> str:
    response = client.get(f"/employers/{employer.credit_code}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_untrained_c_employer_shows_the_flag(client_lqz, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, since=TODAY - datetime.timedelta(days=10))
    html = _page(client_lqz, employer)
    assert 'data-testid="training-panel"' in html
    assert "badge text-bg-warning" in html


@pytest.mark.django_db
def test_trained_c_employer_lists_its_attendance(client_supervisor, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, since=TODAY - datetime.timedelta(days=10))
    session = TrainingSessionFactory(held_on=TODAY, topic="欠薪治理专题培训")
    TrainingAttendanceFactory(session=session, employer=employer, person_name="王伟")
    html = _page(client_supervisor, employer)
    assert "欠薪治理专题培训" in html and "王伟" in html
    assert "badge text-bg-warning" not in html


@pytest.mark.django_db
def test_panel_hidden_for_employer_never_c_without_training(client_lqz, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer, level="A", clause_codes="")
    assert 'data-testid="training-panel"' not in _page(client_lqz, employer)


@pytest.mark.django_db
def test_panel_is_scoped_by_the_employer_page(client_ylq, unit_lqz):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer)
    assert client_ylq.get(f"/employers/{employer.credit_code}/").status_code == 404


@pytest.mark.django_db
def test_panel_context_costs_two_queries(rf, unit_lqz, django_assert_num_queries):
    employer = EmployerFactory(unit=unit_lqz)
    RatingFactory(employer=employer)
    for _n in range(5):
        TrainingAttendanceFactory(employer=employer)
    with django_assert_num_queries(2):
        context = training_panel_context(rf.get("/"), employer)
    assert len(context["attendances"]) == 5
    assert context["status"].untrained is False
