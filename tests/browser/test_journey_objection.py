"""Journey: an inspector records a penalty and the employer turns C; the notice letter is
issued and downloaded and its service recorded; the employer objects; a supervisor who had no
part in the case upholds the objection and withdraws the case; the employer is no longer C and
never reached the partner API."""

import datetime
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.utils import timezone

from partners.services import partner_key_create
from ratings.models import Notice, Objection, Rating
from tests.factories import CaseFactory

from .journey import c_list, level_shown, open_as, penalty_recorded

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def _api_codes(page, url: str, key: str) -> list[str]:
    response = c_list(page, url, key)
    assert response.status == 200
    return [row["credit_code"] for row in response.json()["results"]]


@pytest.mark.django_db(transaction=True)
def test_notice_objection_upheld_and_off_the_partner_list(
    page, live_server, inspector_lqz, inspector_lqz2, supervisor, employer_lqz, tmp_path
):
    cache.clear()  # the API throttle counts per key
    today = timezone.localdate()
    url = live_server.url
    case = CaseFactory(
        employer=employer_lqz,
        number="西青人社监〔2026〕301号",
        opened_on=today - datetime.timedelta(days=20),
    )
    # two inspectors on every case (条例 Art. 16)
    case.inspectors.set([inspector_lqz, inspector_lqz2])
    _key, key = partner_key_create(name="西青区市场监督管理局")

    # --- the inspector records the penalty: C, and a notice falls due ------------------------
    open_as(page, live_server, inspector_lqz.username, f"/cases/{case.pk}/edit/")
    penalty_recorded(page, decided_on=today, number="西青人社罚〔2026〕301号", amount="10000")
    assert level_shown(page, live_server, employer_lqz) == "C"
    notice = Notice.objects.get(employer=employer_lqz)

    # --- the letter, numbered, downloaded; its service recorded with the receipt -------------
    page.get_by_test_id("rating-notice-link").click()
    page.wait_for_load_state()
    with page.expect_download() as download_info:
        page.get_by_test_id("notice-issue").click()
    letter = tmp_path / "letter.pdf"
    download_info.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF")
    notice.refresh_from_db()
    assert notice.document_number.startswith("西青人社信告〔")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(letter), "-"], capture_output=True, check=True
        ).stdout.decode()
        assert employer_lqz.name in text and case.number in text

    page.get_by_test_id("notice-serve").click()
    page.wait_for_load_state()
    page.select_option("#id_method", "in_person")
    page.fill("#id_served_on", today.isoformat())
    page.set_input_files(
        "#id_receipt", files=[{"name": "回执.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.locator("form[method=post] button.btn-primary[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("notice-served").is_visible()

    # --- the employer objects: recorded and assigned to an uninvolved supervisor -------------
    page.get_by_test_id("objection-create").click()
    page.wait_for_load_state()
    page.fill("#id_received_on", today.isoformat())
    page.select_option("#id_channel", "in_person")
    page.select_option("#id_ground", "withdrawn")
    page.fill("#id_text", "该案件系误立，应予撤销")
    page.select_option("#id_reviewer", label=supervisor.get_full_name() or supervisor.username)
    page.locator("form[method=post] button.btn-primary[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("objection-open").is_visible()
    objection = Objection.objects.get(employer=employer_lqz)
    assert objection.reviewer == supervisor
    # C, but not final: partners do not get it
    assert employer_lqz.credit_code not in _api_codes(page, url, key)
    page.goto(f"{url}{employer_lqz.get_absolute_url()}")
    assert page.get_by_test_id("rating-objection-open").is_visible()

    # --- the supervisor upholds it and withdraws the case -------------------------------------
    page.context.clear_cookies()
    open_as(page, live_server, supervisor.username, "/ratings/objections/?status=mine")
    page.get_by_test_id("objection-row").filter(has_text=employer_lqz.name).click()
    page.wait_for_load_state()
    page.select_option("#id_outcome", "upheld")
    page.fill("#id_reasons", "案件立案有误，异议成立")
    page.get_by_label(case.number).check()
    with page.expect_navigation():
        page.get_by_test_id("objection-decide").click()
    assert page.get_by_test_id("objection-outcome").is_visible()
    with page.expect_download() as decision_info:
        page.get_by_test_id("objection-letter").click()
    assert decision_info.value.suggested_filename.endswith(".pdf")

    # --- no longer C, and never on the partner list -----------------------------------------
    assert level_shown(page, live_server, employer_lqz) != "C"
    assert Rating.objects.get(employer=employer_lqz).level != "C"
    assert employer_lqz.credit_code not in _api_codes(page, url, key)
