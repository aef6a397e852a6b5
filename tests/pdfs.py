"""PDF letters read back as text, with pdftotext (Debian poppler-utils)."""

import shutil
import subprocess

import pytest

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed"
)


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """The text of the PDF; ``layout`` keeps its columns where the page has them."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()
