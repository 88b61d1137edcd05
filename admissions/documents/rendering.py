"""Documents shown inline to staff as images (R4.1, issue 11).

A candidate's PDF never reaches a staff browser as an active document: each page is rendered
on the server (pypdfium2) to a PNG of bounded width, one page per request, and cached on disk
under a key made of the stored file's name (a random name that changes with every upload),
the page and the width, so that a second look costs a file read. Images are decoded and
re-encoded the same way: what the browser receives is always a fresh PNG the platform wrote.
A file that cannot be rendered raises RenderError; the failure is cached too, so that the
dossier page can say so in words at the next look without opening the file again.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from PIL import Image

from admissions.documents.models import Document

# Widths staff may ask for: a page in the dossier view, and a larger one to read small print.
WIDTHS = (900, 1400)
DEFAULT_WIDTH = WIDTHS[0]
# A page is at most this tall once scaled (a very long, thin page must not become huge).
MAX_HEIGHT = 4000
# The rendering scale is bounded as well: a tiny page at 1400 px would be rendered at 20x.
MAX_SCALE = 4.0

# How many pages were actually rendered by this process (tests count cache hits with it).
renders = 0


class RenderError(Exception):
    """The file could not be shown as an image (malformed or unreadable)."""


def cache_dir() -> Path:
    return Path(settings.RENDER_CACHE_DIR)


def cache_path(document: Document, page: int, width: int) -> Path:
    key = hashlib.sha256(f"{document.file.name}|{page}|{width}".encode()).hexdigest()
    return cache_dir() / key[:2] / f"{key}.png"


def failure_path(document: Document) -> Path:
    key = hashlib.sha256(f"{document.file.name}|failed".encode()).hexdigest()
    return cache_dir() / key[:2] / f"{key}.failed"


def known_failure(document: Document) -> bool:
    """A previous rendering of this file failed (a cheap file check, no rendering)."""
    return failure_path(document).exists()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)  # two workers rendering the same page write the same bytes


def _bounded(image: Image.Image, width: int) -> Image.Image:
    scale = min(width / image.width, MAX_HEIGHT / image.height, 1.0)  # never enlarged
    if scale != 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _png(image: Image.Image) -> bytes:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _render_pdf_page(data: bytes, page: int, width: int) -> bytes:
    import pypdfium2  # a native library: loaded only where a page is rendered

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise RenderError(str(error)) from error
    try:
        if not 1 <= page <= len(pdf):
            raise RenderError(f"no page {page}")
        pdf_page = pdf[page - 1]
        page_width, page_height = pdf_page.get_size()
        if page_width <= 0 or page_height <= 0:
            raise RenderError("empty page")
        scale = min(width / page_width, MAX_HEIGHT / page_height, MAX_SCALE)
        bitmap = pdf_page.render(scale=scale)
        return _png(bitmap.to_pil())
    except pypdfium2.PdfiumError as error:
        raise RenderError(str(error)) from error
    finally:
        pdf.close()


def _render_image(data: bytes, width: int) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return _png(_bounded(image, width))
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise RenderError(str(error)) from error


def page_png(document: Document, page: int = 1, width: int = DEFAULT_WIDTH) -> bytes:
    """Page ``page`` (1-based) of ``document`` as a PNG ``width`` pixels wide at most.

    Rendered once, then read from the cache. Raises RenderError."""
    global renders
    if width not in WIDTHS:
        width = DEFAULT_WIDTH
    path = cache_path(document, page, width)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    if document.format != "pdf" and page != 1:
        raise RenderError(f"no page {page}")
    try:
        with document.file.open("rb") as stored:
            data = stored.read()
    except OSError as error:
        raise RenderError(str(error)) from error
    renders += 1
    try:
        png = (
            _render_pdf_page(data, page, width)
            if document.format == "pdf"
            else _render_image(data, width)
        )
    except RenderError:
        _write_atomically(failure_path(document), b"")
        raise
    _write_atomically(path, png)
    return png


def failure_png(message: str, width: int = DEFAULT_WIDTH) -> bytes:
    """A plain image carrying ``message``, shown where a page could not be rendered (the page
    around it says the same in words)."""
    from PIL import ImageDraw

    image = Image.new("RGB", (width, 160), (246, 246, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, 159), outline=(206, 5, 0), width=3)
    draw.text((24, 64), message, fill=(30, 30, 30), font_size=22)
    return _png(image)
