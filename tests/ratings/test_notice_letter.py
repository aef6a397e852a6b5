"""The letters as PDF, checked by their text (pdftotext): the notice letter, the yearly
letter, the objection decision, and manage.py notice_letter."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ratings import rules
from ratings.models import Notice
from ratings.procedure.letters import notice_letter_pdf, objection_decision_pdf
from ratings.procedure.services import notice_number_issue
from ratings.services import employer_rerate, yearly_evaluate
from tests.clock import frozen_today
from tests.conftest import make_user
from tests.pdfs import needs_pdftotext, pdf_text

from .cases import order_case, penalty_case
from .notices import objection_decided, objection_filed

pytestmark = needs_pdftotext

D = datetime.date
CHANGED = D(2026, 9, 28)


def text_of(pdf: bytes) -> str:
    # a table cell may wrap: compare without line breaks and spaces
    return "".join(pdf_text(pdf, layout=False).split())


today = frozen_today(D(2026, 10, 9))


@pytest.fixture
def c_employer(employer_lqz):
    penalty = penalty_case(
        employer_lqz,
        number="西青人社监〔2026〕101号",
        penalty_number="西青人社罚〔2026〕7号",
        opened=D(2026, 9, 1),
        decided=CHANGED,
    )
    order = order_case(
        employer_lqz,
        number="西青人社监〔2026〕102号",
        opened=D(2026, 9, 1),
        decided=D(2026, 9, 10),
        deadline=D(2026, 9, 20),
    )
    employer_rerate(employer_id=employer_lqz.pk, cause="case_changed", today=CHANGED)
    employer_lqz.cases_made = (penalty, order)
    return employer_lqz


def assert_rating_letter(text: str, employer, codes: list[str], numbers: list[str]) -> None:
    assert "".join(employer.name.split()) in text
    assert employer.credit_code in text
    for code in codes:
        assert code in text
        assert "".join(str(rules.CLAUSE_TITLES[code]).split()) in text or code in text
    for number in numbers:
        assert number in text
    assert "15个工作日" in text


@pytest.mark.django_db
def test_the_notice_letter_names_everything_the_employer_must_be_told(c_employer, today):
    notice = notice_number_issue(Notice.objects.get(employer=c_employer))
    text = text_of(notice_letter_pdf(notice))
    assert "劳动保障守法诚信等级评价结果告知书" in text
    assert "西青人社信告〔2026〕1号" in text
    assert_rating_letter(
        text, c_employer, ["C2", "C4"], ["西青人社监〔2026〕101号", "西青人社监〔2026〕102号"]
    )
    # each clause in its words, with its legal source
    from django.utils import translation

    with translation.override("zh-hans"):
        for code in ("C2", "C4"):
            assert "".join(str(rules.CLAUSE_TITLES[code]).split()) in text
    assert "津人社规字〔2017〕9号" in text
    # what ends it: recording the rectification of the order
    assert "整改" in text


@pytest.mark.django_db
def test_the_yearly_letter(employer_lqz, today):
    employer_lqz.established_on = D(2020, 1, 1)
    employer_lqz.save()
    penalty_case(
        employer_lqz, number="西青人社监〔2025〕055号", opened=D(2025, 5, 1), decided=D(2025, 6, 1)
    )
    yearly_evaluate(year=2025)
    notice = Notice.objects.get(employer=employer_lqz, kind="yearly")
    text = text_of(notice_letter_pdf(notice))
    assert "2025" in text and "年度" in text
    assert_rating_letter(text, employer_lqz, ["C4"], ["西青人社监〔2025〕055号"])


@pytest.mark.django_db
def test_the_objection_decision_letter(c_employer, inspector_lqz, today):
    notice = Notice.objects.get(employer=c_employer)
    reviewer = make_user("reviewer", "supervisor")
    objection = objection_filed(
        notice,
        reviewer,
        received_on=D(2026, 10, 8),
        user=inspector_lqz,
        ground="rectified",
        text="已经整改完毕",
    )
    objection_decided(objection, reviewer, decided_on=D(2026, 10, 9), reasons="整改日期晚于期限")
    text = text_of(objection_decision_pdf(objection))
    assert "西青人社信复〔2026〕1号" in text
    assert "".join(c_employer.name.split()) in text
    assert "整改日期晚于期限" in text
    assert "行政复议" in text


@pytest.mark.django_db
def test_letters_download_from_the_employer_page_and_the_notice_page(client_lqz, c_employer, today):
    page = client_lqz.get(reverse("employers:detail", args=[c_employer.credit_code]))
    assert 'data-testid="rating-letter"' in page.content.decode()
    response = client_lqz.get(reverse("ratings:employer_letter", args=[c_employer.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert c_employer.credit_code in text_of(response.content)
    notice = Notice.objects.get(employer=c_employer)
    issued = client_lqz.post(reverse("ratings:notice_letter", args=[notice.pk]))
    assert "西青人社信告〔2026〕1号" in text_of(issued.content)


@pytest.mark.django_db
def test_the_command_writes_the_letter_or_says_why_not(c_employer, tmp_path, today):
    out = tmp_path / "letter.pdf"
    stdout = StringIO()
    call_command("notice_letter", c_employer.credit_code, str(out), stdout=stdout)
    text = text_of(out.read_bytes())
    assert_rating_letter(text, c_employer, ["C2", "C4"], ["西青人社监〔2026〕101号"])
    with pytest.raises(CommandError, match="no employer with credit code"):
        call_command("notice_letter", "91120111000000000X", str(out))
