"""Official documents as PDF: an HTML template rendered by WeasyPrint with the CJK fonts.

Letters (notices, objection and repair decisions, orders to correct, handling decisions) are
templates extending ``core/documents/letter.html``; this module turns one into PDF bytes. The
renderer fetches nothing from the network or the file system: a template that names an outside
address gets an error, not a request (no SSRF or file disclosure through a letter).
"""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

# Every font-family names it, page footers included (Debian: fonts-noto-cjk).
CJK_FONT = "Noto Sans CJK SC"


class DocumentError(Exception):
    """The document could not be produced; ``str(exc)`` is for the log."""


def _fetcher():
    """A fetcher that loads ``data:`` URIs only: letters carry their images inline, and a
    template (or a value in it) naming any other address gets an error, never a request."""
    from weasyprint.urls import URLFetcher

    class InlineOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise DocumentError(f"documents load no outside resource: {url[:80]}")
            return super().fetch(url, headers)

    return InlineOnlyFetcher(allowed_protocols={"data"})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF of ``template_name`` rendered with ``context`` (plus ``cjk_font``)."""
    from weasyprint import HTML  # imported here: Pango loads only where letters are made

    html = render_to_string(template_name, {"cjk_font": CJK_FONT, **context})
    return HTML(string=html, url_fetcher=_fetcher(), base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF as a download named ``filename``."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
