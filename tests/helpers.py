"""Small helpers shared by the view tests."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
# Inside the 2021 application window, before any reminder stage.
IN_WINDOW = datetime(2021, 2, 15, 10, 0, tzinfo=PARIS)


def page_text(response) -> str:
    """The page as a reader sees it: HTML entities decoded."""
    return html.unescape(response.content.decode())


def pdf_lines(pdf: bytes) -> list[str]:
    """A PDF's non-empty lines as pdftotext (poppler-utils) lays them out, spaces squeezed."""
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
