import pytest

from .journey import open_as


@pytest.mark.django_db(transaction=True)
def test_inspector_logs_in_sees_list_and_opens_employer(
    page, live_server, inspector_lqz, employer_lqz, employer_ylq
):
    open_as(page, live_server, inspector_lqz.username, "/employers/")
    assert page.get_by_text(employer_lqz.name).is_visible()
    assert page.get_by_text(employer_ylq.name).count() == 0
    page.get_by_role("link", name=employer_lqz.name).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("employer-name").inner_text() == employer_lqz.name
    assert employer_lqz.credit_code in page.content()
