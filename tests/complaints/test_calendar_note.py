"""The ledger's note on estimated deadlines: every role reads that a deadline may still move;
only administrators are told what to do about it (the calendar page, the command)."""

import pytest

from tests.complaints.factories import ComplaintFactory

LEDGER = "/complaints/"
COMMAND = "complaint_deadlines"


@pytest.fixture
def estimated_deadline(employer_lqz):
    return ComplaintFactory(employer=employer_lqz, due_estimated=True)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["client_lqz", "client_supervisor"])
def test_the_staff_note_is_not_shown_to_inspectors_or_supervisors(
    request, persona, estimated_deadline
):
    html = request.getfixturevalue(persona).get(LEDGER).content.decode()
    assert 'data-testid="calendar-note"' in html
    assert "标注“估算”的期限可能调整" in html
    assert 'data-testid="calendar-staff-note"' not in html
    assert COMMAND not in html
    assert "manage.py" not in html


@pytest.mark.django_db
def test_administrators_are_told_where_to_enter_the_year_and_which_command_recounts(
    client_admin, estimated_deadline
):
    html = client_admin.get(LEDGER).content.decode()
    assert 'data-testid="calendar-staff-note"' in html
    assert f"<code>manage.py {COMMAND}</code>" in html
    assert 'href="/admin-tools/calendar/"' in html


@pytest.mark.django_db
def test_no_note_while_no_open_deadline_is_estimated(client_admin, employer_lqz):
    ComplaintFactory(employer=employer_lqz, due_estimated=False)
    html = client_admin.get(LEDGER).content.decode()
    assert 'data-testid="calendar-note"' not in html
    assert COMMAND not in html
