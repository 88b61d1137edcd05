"""Every file the upload tests need, generated on the fly: nothing binary is committed.

Images come from Pillow, PDFs from pypdf, and the hostile files (decompression bomb, fake
formats, truncated data) are assembled by hand from their published layouts.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from admissions.rules.params import UploadRules

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

RULES_2021 = UploadRules(
    max_bytes=2_097_152,
    allowed_formats=("jpeg", "png", "pdf"),
    photo_formats=("jpeg", "png"),
    photo_max_width=900,
    photo_max_height=900,
    max_image_pixels=50_000_000,
)


def colour_image(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A smooth colour picture (red and green gradients over a blue constant), cheap to build."""
    red = Image.linear_gradient("L").resize((width, height))
    green = red.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    blue = Image.new("L", (width, height), 96)
    image = Image.merge("RGB", (red, green, blue))
    return image if mode == "RGB" else image.convert(mode)


def grey_image(width: int, height: int) -> Image.Image:
    return Image.linear_gradient("L").resize((width, height))


def noise_image(width: int, height: int) -> Image.Image:
    """Random colour pixels: large once compressed, so a truncation cuts real data."""
    data = random.Random(width * 7919 + height).randbytes(width * height * 3)
    return Image.frombytes("RGB", (width, height), data)


def encode(image: Image.Image, format_name: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


def jpeg(width: int = 300, height: int = 200, **options) -> bytes:
    return encode(colour_image(width, height), "JPEG", quality=90, **options)


def png(width: int = 300, height: int = 200) -> bytes:
    return encode(colour_image(width, height), "PNG")


def grey_jpeg(width: int = 600, height: int = 800) -> bytes:
    """A greyscale JPEG (mode L, one channel)."""
    return encode(grey_image(width, height), "JPEG", quality=90)


def black_and_white_rgb_jpeg(width: int = 600, height: int = 800) -> bytes:
    """Three channels, all equal: a black-and-white picture stored as colour."""
    return encode(grey_image(width, height).convert("RGB"), "JPEG", quality=90)


def grey_palette_png(width: int = 300, height: int = 400) -> bytes:
    """A palette image whose palette holds only greys."""
    return encode(grey_image(width, height).convert("RGB").quantize(64), "PNG")


def colour_palette_png(width: int = 300, height: int = 400) -> bytes:
    return encode(colour_image(width, height).quantize(64), "PNG")


def rotated_jpeg(width: int, height: int) -> bytes:
    """Stored ``width`` x ``height``, with EXIF orientation 6: shown a quarter turn rotated."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Phone maker"  # metadata that scale_down_photo must drop
    return encode(colour_image(width, height), "JPEG", quality=90, exif=exif)


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return _write(writer)


def pdf_of_size(size: int) -> bytes:
    """A valid one-page PDF of exactly ``size`` bytes, padded by an unused stream of spaces."""
    padding = max(0, size - len(pdf()) - 200)
    for _ in range(5):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        stream.set_data(b" " * padding)
        writer.root_object[NameObject("/Padding")] = writer._add_object(stream)
        data = _write(writer)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise AssertionError(f"could not build a PDF of exactly {size} bytes")


def encrypted_pdf(user_password: str, owner_password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    return _write(writer)


def empty_pdf() -> bytes:
    """A well-formed PDF whose page tree has no page."""
    return _write(PdfWriter())


def pdf_header_then_garbage() -> bytes:
    return b"%PDF-1.7\n" + random.Random(1).randbytes(4000)


def pdf_with_many_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=100, height=100)
    return _write(writer)


# --- Active and inflating PDFs (issue 10) ---


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf_with_open_action_javascript() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _action(
        "/JavaScript", JS=TextStringObject("app.alert('hello')")
    )
    return _write(writer)


def pdf_with_document_javascript() -> bytes:
    """Document-level JavaScript in the names tree, run when the file opens."""
    writer = _one_page()
    script = _action("/JavaScript", JS=TextStringObject("app.alert('hello');"))
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("hello"), script])}
            )
        }
    )
    return _write(writer)


def pdf_with_launch_action() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _action(
        "/Launch", F=TextStringObject("C:\\Windows\\System32\\calc.exe")
    )
    return _write(writer)


def pdf_with_page_open_script() -> bytes:
    """A page's additional actions (/AA): a script when the page is opened."""
    writer = _one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS=TextStringObject("app.alert(1)"))}
    )
    return _write(writer)


def pdf_with_page_open_web_address() -> bytes:
    writer = _one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/URI", URI=TextStringObject("https://example.org/"))}
    )
    return _write(writer)


def pdf_with_script_link() -> bytes:
    """A link annotation whose action is a script, its name written with a #xx escape."""
    writer = _one_page()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 100, 100)]),
            NameObject("/A"): _action("/JavaScript", JS=TextStringObject("app.alert(1)")),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _write(writer).replace(b"/JavaScript", b"/J#61vaScript")


def pdf_with_embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("invoice.exe", b"MZ" + b"\x00" * 64)
    return _write(writer)


def pdf_with_xfa_form() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )
    return _write(writer)


def pdf_with_script_outside_its_tables() -> bytes:
    """A script object that the cross-reference table does not list (readers that repair
    files find it by scanning): pypdf does not see it, the raw scan does."""
    data = pdf()
    hidden = b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    position = data.index(b"xref")
    patched = data[:position] + hidden + data[position:]
    # The offsets after the insertion moved: point startxref at the moved table.
    old_start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    return patched.replace(
        b"startxref\n%d" % old_start, b"startxref\n%d" % (old_start + len(hidden))
    )


def pdf_with_harmless_navigation() -> bytes:
    """Opens on its first page (/OpenAction destination) and has a web link: both fine."""
    writer = _one_page()
    writer.add_blank_page(width=595, height=842)
    writer.root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[1].indirect_reference, NameObject("/Fit")]
    )
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://www.imt-mines-albi.fr/"))
    return _write(writer)


def polyglot_html_pdf() -> bytes:
    """Starts as a web page, holds a PDF header in its first KiB (issue 10: served as poly.html)."""
    return b"<html><script>alert(document.cookie)</script>\n" + pdf()


def pdf_deflate_bomb(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A one-page PDF carrying an unused stream that inflates to ``inflated`` bytes of zeros;
    compressed in slices, so building it never holds the inflated data."""
    compressor = zlib.compressobj(9)
    slices = []
    zeros = bytes(1 << 20)
    for _ in range(inflated >> 20):
        slices.append(compressor.compress(zeros))
    slices.append(compressor.flush())
    stream = EncodedStreamObject()
    stream._data = b"".join(slices)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer = _one_page()
    writer.root_object[NameObject("/Bomb")] = writer._add_object(stream)
    return _write(writer)


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 30_000, height: int = 30_000, rows: int = 4) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` RGB pixels, with ``rows`` black rows of data.

    Decoding the default would need ``width * height * 3`` bytes (2.7 GB); the file itself is
    well under a kilobyte. With ``rows=height`` the picture is complete (and still tiny).
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 3)
    idat = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def gif() -> bytes:
    return encode(colour_image(40, 30).quantize(16), "GIF")


def webp() -> bytes:
    return encode(colour_image(40, 30), "WEBP")


def heic_header() -> bytes:
    """The first box of an iPhone HEIC photo (what the format check sees)."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 200


def svg() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>\n'
    )


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def exe() -> bytes:
    """A DOS/PE header: MZ, then the offset of the PE signature."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 56 + struct.pack("<I", 64))
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 256


def random_bytes(size: int = 4096, seed: int = 42) -> bytes:
    return random.Random(seed).randbytes(size)


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


class CountingStream(io.RawIOBase):
    """A forward-only stream of ``size`` bytes (a PDF header then spaces) that counts reads.

    It cannot seek, so the reader cannot ask its size and must stop reading by itself.
    """

    def __init__(self, size: int):
        self.size = size
        self.position = 0
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        raise io.UnsupportedOperation("not seekable")

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.size - self.position  # what a careless caller would do
        size = min(size, self.size - self.position)
        chunk = (b"%PDF-1.7\n" + b" " * max(0, size))[:size] if self.position == 0 else b" " * size
        self.position += size
        self.bytes_read += size
        return chunk


class HugeSeekableFile(io.RawIOBase):
    """A seekable file that says it holds ``size`` bytes; any read is counted."""

    def __init__(self, size: int):
        self.size = size
        self.position = 0
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = base + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        size = self.size - self.position if size is None or size < 0 else size
        size = max(0, min(size, self.size - self.position))
        self.position += size
        self.bytes_read += size
        return b"\x00" * size
