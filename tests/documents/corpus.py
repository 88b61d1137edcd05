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
from pypdf.generic import DecodedStreamObject, NameObject

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
