import pytest
from django.template import engines

from core import documents
from core.documents import DocumentError, render_pdf
from tests.pdfs import needs_pdftotext, pdf_text

pytestmark = needs_pdftotext


def test_a_letter_renders_chinese_text_the_reader_can_search(settings, tmp_path) -> None:
    pdf = render_pdf(
        "core/documents/letter.html",
        {
            "title": "劳动保障守法诚信等级评价结果告知书",
            "bureau_name": "天津市西青区人力资源和社会保障局",
            "document_number": "西青人社信告〔2026〕1号",
            "issued_on": __import__("datetime").date(2026, 12, 1),
        },
    )
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "劳动保障守法诚信等级评价结果告知书" in text
    assert "西青人社信告〔2026〕1号" in text
    assert "2026年12月1日" in text


def test_a_letter_cannot_reach_outside_addresses(monkeypatch) -> None:
    """A value that smuggles an address into a letter gets no request: the fetcher refuses
    before opening anything, and the letter is still made."""
    template = engines["django"].from_string(
        '<p>x</p><img src="http://169.254.169.254/latest"><img src="file:///etc/passwd">'
    )
    monkeypatch.setattr(
        "core.documents.render_to_string", lambda name, context: template.render(context)
    )
    opened = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda self, *a, **k: opened.append(a) or None
    )
    assert render_pdf("unused.html", {}).startswith(b"%PDF")
    assert opened == []
    fetcher = documents._fetcher()
    with pytest.raises(DocumentError):
        fetcher.fetch("http://169.254.169.254/latest")
