"""Judging an uploaded file by its content, never by its name (R3.3, R3.4, R10.3).

No Django import: the functions take bytes (or a binary file object) and the campaign's
``UploadRules`` and answer with reasons worded in French and English (``Reason``), so the
interface shows them in the page's language and the rules stay testable without a database.

The order of the checks is also the order of the costs: the size first (at most
``max_bytes + 1`` bytes are ever read), then the magic bytes, then the image dimensions from
the header (a decompression bomb is refused before any pixel is decoded), and only then a full
decode with Pillow or a parse with pypdf, both inside ``except Exception``: their parsers raise
many exception types on hostile input (``OSError``, ``SyntaxError``, ``ValueError``,
``struct.error``, ``IndexError``, ``KeyError``, ``RecursionError``, ``PdfReadError``...), and a
bad upload must end as a refusal, never as a server error (R9.4).

``Image.MAX_IMAGE_PIXELS`` is deliberately left alone: it is process-wide and shared with other
Pillow users (WeasyPrint); the campaign limit is checked here from the header instead.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from typing import IO, Literal

from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from admissions.rules.explain import Reason, RulesError
from admissions.rules.language import is_english
from admissions.rules.params import UploadRules

Kind = Literal["document", "photo"]

CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
FORMAT_LABELS = {"jpeg": "JPEG", "png": "PNG", "pdf": "PDF"}
FORMAT_EXTENSIONS = {"jpeg": "jpg", "png": "png", "pdf": "pdf"}
DEFAULT_MAX_PDF_PAGES = 50
PDF_PAGE_COUNT_FACTOR = 20  # pages are counted exactly up to 20 times the limit, then "more than"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
# The first KiB is only looked at to say what a refused file is. A PDF must *begin* with
# ``%PDF-`` (ISO 32000-1, 7.5.2: the header is the first line). Readers tolerate junk before
# it, which is how a file starting ``<html><script>`` can also be "a PDF"; every PDF writer
# puts the header at offset 0, so nothing legitimate is refused by requiring it there.
PDF_HEADER_WINDOW = 1024

# Active content a PDF may carry: scripts, programs launched, files embedded, forms that send
# or fetch data, multimedia players (issue 10). Names as pypdf reads them (#xx escapes decoded).
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
)
PDF_ACTIVE_TYPES = frozenset(
    {
        "/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE",  # actions (/S)
        "/RichMediaExecute", "/Rendition",
        "/EmbeddedFile", "/RichMedia", "/FileAttachment", "/Screen",  # objects, annotations
    }
)  # fmt: skip
PDF_AUTOMATIC_ACTION_KEYS = ("/OpenAction", "/AA")  # run without a click: navigation only
PDF_RAW_ACTIVE_NAMES = frozenset(
    {
        b"JS", b"JavaScript", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia",
        b"XFA", b"ImportData", b"SubmitForm", b"GoToE",
    }
)  # fmt: skip
PDF_NAME_TOKEN = re.compile(rb"/([^\s/<>\[\]()%{}\x00]*)")
PDF_STREAM_START = re.compile(rb"\bstream\r?\n")
PDF_MAX_OBJECTS = 20_000  # dictionaries and arrays; a 50-page scan holds a few hundred
# A PDF's streams may inflate to this many times the campaign's maximum file size (100 MiB
# for 2 MiB): a clean greyscale scan compresses 20 to 25 times, a deflate bomb 1 000 times.
PDF_INFLATION_RATIO = 50

MEBIBYTE = 1024 * 1024
GREY_SAMPLE_SIZE = (128, 128)  # the black-and-white check runs on a thumbnail this size at most
GREY_TOLERANCE = 12  # JPEG compression leaves a few levels of chroma noise on grey pixels
GREY_MAX_COLOURED_SHARE = 0.002  # more coloured pixels than this share: a colour photo
GREYSCALE_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "F"})
JPEG_QUALITIES = (90, 85, 75, 65, 55, 45, 35)
# A photo is scaled down by the platform (R10.3) up to this many times the campaign's maximum
# per side (4 500 x 4 500 px for 900 x 900): a 12-megapixel phone photo (4 032 x 3 024) still
# fits, and decoding it costs at most about 80 MB. Beyond, no photo needs that many pixels
# and the file is refused from its header, before any pixel is decoded (a 155 KiB PNG can
# declare 7 000 x 7 000 px: 2.9 s and 400 MB to decode).
PHOTO_SCALABLE_FACTOR = 5
COMBINED_PAGE_MAX_SIDE = 2480  # A4 at 300 dpi: enough for an identity card scan
A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class Inspection:
    """What an uploaded file is, and why it is refused when it is.

    ``bool(inspection)`` is ``inspection.ok``. ``size_bytes`` is None only when a stream that
    cannot tell its size went over the limit (then only ``max_bytes + 1`` bytes were read).
    ``can_scale_down`` is True for a photo whose only problem is its dimensions (R10.3): the
    interface may offer ``scale_down_photo`` after the candidate approves a preview.
    """

    ok: bool
    format: str | None  # "jpeg", "png", "pdf"
    content_type: str | None  # "image/jpeg", "image/png", "application/pdf"
    size_bytes: int | None
    width: int | None = None  # images, as displayed (EXIF orientation applied)
    height: int | None = None
    pages: int | None = None  # PDFs
    reasons: tuple[Reason, ...] = ()
    can_scale_down: bool = False

    def __bool__(self) -> bool:
        return self.ok

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    def texts(self, language: str = "fr") -> tuple[str, ...]:
        return tuple(reason.text(language) for reason in self.reasons)


# --- Formatting -------------------------------------------------------------------------------


# Above this, a PNG document is not decoded a second time (see _inspect_image).
FULL_DECODE_MAX_PIXELS = 12_000_000


def format_count(number: int, language: str = "fr") -> str:
    """``1200``, ``30 000`` (narrow no-break space) / ``30,000``: four digits stay together."""
    if abs(number) < 10_000:
        return str(number)
    text = f"{number:,}"
    return text if is_english(language) else text.replace(",", "\u202f")


def format_size(size: int, language: str = "fr") -> str:
    """``2 Mo`` / ``2 MB`` for whole mebibytes, else one decimal (``3,4 Mo``); small sizes in kB."""
    unit_mb, unit_kb = ("MB", "kB") if is_english(language) else ("Mo", "ko")
    if size < MEBIBYTE:
        return f"{format_count(max(1, round(size / 1024)), language)} {unit_kb}"
    value = size / MEBIBYTE
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    if not is_english(language):
        text = text.replace(".", ",")
    return f"{text} {unit_mb}"


def _size_pair(size: int, limit: int, language: str) -> str:
    """The actual size, precise enough to differ visibly from the limit (2 097 153 bytes is not "2 Mo")."""
    if round(size / MEBIBYTE, 1) <= round(limit / MEBIBYTE, 1):
        unit = "bytes" if is_english(language) else "octets"
        return f"{format_count(size, language)} {unit}"
    return format_size(size, language)


def _format_list(
    formats: tuple[str, ...], language: str, names: dict[str, str] = FORMAT_LABELS
) -> str:
    labels = [names.get(name, name.upper()) for name in formats]
    if len(labels) < 2:
        return "".join(labels)
    word = "or" if is_english(language) else "ou"
    return f"{', '.join(labels[:-1])} {word} {labels[-1]}"


@dataclass(frozen=True)
class UploadHelp:
    """What the campaign's ``[uploads]`` accept, worded in one language (R3.4): the hints of
    the upload forms, the browser's first check and the file picker's filter all read it, so
    a campaign file that changes the formats or the size changes every one of them."""

    formats: str  # "jpg, png ou pdf"
    max_size: str  # "2 Mo" / "2 MB", "1,5 Mo" / "1.5 MB"
    photo_formats: str  # "jpg ou png"
    photo_max: str  # "900 x 900" (pixels)
    content_types: str  # "image/jpeg,image/png,application/pdf": the picker's ``accept``
    photo_content_types: str


def upload_help(uploads: UploadRules, language: str = "fr") -> UploadHelp:
    """The campaign's upload limits as the candidate reads them, in ``language``."""
    width, height = uploads.photo_max_width, uploads.photo_max_height
    return UploadHelp(
        formats=_format_list(uploads.allowed_formats, language, FORMAT_EXTENSIONS),
        max_size=format_size(uploads.max_bytes, language),
        photo_formats=_format_list(uploads.photo_formats, language, FORMAT_EXTENSIONS),
        photo_max=f"{format_count(width, language)} x {format_count(height, language)}",
        content_types=",".join(CONTENT_TYPES[f] for f in uploads.allowed_formats),
        photo_content_types=",".join(CONTENT_TYPES[f] for f in uploads.photo_formats),
    )


# --- Reading ----------------------------------------------------------------------------------


def _read_bounded(
    source: bytes | bytearray | memoryview | IO[bytes], limit: int
) -> tuple[bytes, int | None]:
    """At most ``limit + 1`` bytes of ``source``, and its full size when it is known.

    A file object that can seek to its end tells its size without being read; one that cannot
    (a network stream) is read in chunks and abandoned as soon as it exceeds ``limit``.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return data[: limit + 1], len(data)
    declared = _stream_size(source)
    if declared is not None and declared > limit:
        return b"", declared
    chunks = []
    remaining = limit + 1
    while remaining > 0:
        chunk = source.read(min(remaining, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    return data, (len(data) if len(data) <= limit else None)


def _stream_size(stream: IO[bytes]) -> int | None:
    """The size of a seekable stream (read from its start), or None; the stream is left at 0."""
    try:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(0)
    except (AttributeError, OSError, ValueError):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.seek(0)  # a forward-only stream is read from where it stands
        return None
    return size if isinstance(size, int) and size >= 0 else None


def sniff_format(head: bytes) -> str | None:
    """``jpeg``, ``png`` or ``pdf`` from the magic bytes, else None."""
    if head.startswith(JPEG_SIGNATURE):
        return "jpeg"
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(PDF_SIGNATURE):
        return "pdf"
    return None


# What a refused file probably is, to word a useful refusal: (French, English).
def _describe_other(head: bytes) -> tuple[str, str] | None:
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "une image GIF", "a GIF image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "une image WebP", "a WebP image"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"mif1", b"msf1"):
        return "une photo HEIC (format des iPhone)", "a HEIC photo (the iPhone format)"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "une image AVIF", "an AVIF image"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "une image TIFF", "a TIFF image"
    if head[:2] == b"BM":
        return "une image BMP", "a BMP image"
    if head[:4] == b"PK\x03\x04":
        return (
            "un document Word, OpenDocument ou une archive ZIP",
            "a Word or OpenDocument file or a ZIP archive",
        )
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "un ancien document Word ou Excel", "an old Word or Excel document"
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":
        return "un programme exécutable", "an executable program"
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) or b"<svg" in text:
        return "une image SVG (ou un fichier XML)", "an SVG image (or an XML file)"
    if text.startswith((b"<html", b"<!doctype", b"<head", b"<body", b"<script")):
        return "une page web (HTML)", "a web page (HTML)"
    if PDF_SIGNATURE in head[:PDF_HEADER_WINDOW]:
        return (
            "un fichier qui contient un en-tête PDF mais ne commence pas par lui (des données "
            "le précèdent)",
            "a file that holds a PDF header but does not begin with it (data comes before it)",
        )
    return None


# --- Reasons ----------------------------------------------------------------------------------


def _label(kind: Kind, language: str) -> str:
    if is_english(language):
        return "photo" if kind == "photo" else "file"
    return "photo" if kind == "photo" else "fichier"


def _reason_empty(kind: Kind) -> Reason:
    return Reason(
        "upload.empty",
        f"Votre {_label(kind, 'fr')} est vide (0 octet). Choisissez le bon fichier et envoyez-le à nouveau.",
        f"Your {_label(kind, 'en')} is empty (0 bytes). Choose the right file and upload it again.",
    )


def _reason_too_large(kind: Kind, size: int | None, limit: int) -> Reason:
    fr_fix = "Réduisez-le (PDF compressé, image moins grande) et envoyez-le à nouveau."
    en_fix = "Reduce it (compressed PDF, smaller image) and upload it again."
    if size is None:
        fr_size = f"plus de {format_size(limit, 'fr')}"
        en_size = f"more than {format_size(limit, 'en')}"
    else:
        fr_size, en_size = _size_pair(size, limit, "fr"), _size_pair(size, limit, "en")
    return Reason(
        "upload.too_large",
        f"Votre {_label(kind, 'fr')} fait {fr_size} ; maximum {format_size(limit, 'fr')}. {fr_fix}",
        f"Your {_label(kind, 'en')} is {en_size}; the maximum is {format_size(limit, 'en')}. {en_fix}",
        {"size_bytes": size, "max_bytes": limit},
    )


def _reason_format(kind: Kind, accepted: tuple[str, ...], found: str | None, head: bytes) -> Reason:
    described = _describe_other(head) if found is None else None
    if found is not None:
        what_fr = f"un fichier {FORMAT_LABELS[found]}"
        what_en = f"a {FORMAT_LABELS[found]} file"
    elif described is not None:
        what_fr, what_en = described
    else:
        what_fr, what_en = "dans un format non reconnu", "in a format that is not recognised"
    fr_list, en_list = _format_list(accepted, "fr"), _format_list(accepted, "en")
    if kind == "photo":
        return Reason(
            "upload.photo_format",
            f"Votre photo est {what_fr} ; la photo doit être une image {fr_list}. "
            f"Enregistrez-la ou exportez-la en {fr_list} et envoyez-la à nouveau.",
            f"Your photo is {what_en}; the photo must be a {en_list} image. "
            f"Save or export it as {en_list} and upload it again.",
            {"found": found, "accepted": accepted},
        )
    return Reason(
        "upload.format_not_accepted",
        f"Votre fichier est {what_fr} ; formats acceptés : {fr_list}. "
        f"Enregistrez-le ou exportez-le en {fr_list} (le nom du fichier ne suffit pas) "
        "et envoyez-le à nouveau.",
        f"Your file is {what_en}; accepted formats: {en_list}. "
        f"Save or export it as {en_list} (renaming the file is not enough) and upload it again.",
        {"found": found, "accepted": accepted},
    )


def _reason_absurd(kind: Kind, width: int, height: int, limit: int) -> Reason:
    megapixels_fr = format_count(limit // 1_000_000, "fr")
    megapixels_en = format_count(limit // 1_000_000, "en")
    dims_fr = f"{format_count(width, 'fr')} x {format_count(height, 'fr')} px"
    dims_en = f"{format_count(width, 'en')} x {format_count(height, 'en')} px"
    return Reason(
        "upload.image_absurd",
        f"Votre image fait {dims_fr}, une taille absurde (plus de {megapixels_fr} mégapixels, "
        "bien au-delà d'une page numérisée). Numérisez ou photographiez le document à nouveau "
        "en résolution normale.",
        f"Your image is {dims_en}, an absurd size (over {megapixels_en} megapixels, far beyond a "
        "scanned page). Scan or photograph the document again at a normal resolution.",
        {"width": width, "height": height, "max_pixels": limit},
    )


def _reason_image_unreadable(kind: Kind, found: str) -> Reason:
    label = FORMAT_LABELS[found]
    return Reason(
        "upload.image_unreadable",
        f"Votre {_label(kind, 'fr')} {label} est illisible : il est incomplet ou endommagé "
        "(envoi interrompu ?). Ouvrez-le sur votre appareil pour le vérifier, "
        "enregistrez-le à nouveau et renvoyez-le.",
        f"Your {label} {_label(kind, 'en')} cannot be read: it is incomplete or damaged "
        "(interrupted transfer?). Open it on your device to check it, save it again and "
        "upload it again.",
        {"format": found},
    )


def _reason_photo_dimensions(width: int, height: int, rules: UploadRules) -> Reason:
    max_w, max_h = rules.photo_max_width, rules.photo_max_height
    return Reason(
        "upload.photo_dimensions",
        f"Votre photo fait {format_count(width, 'fr')} x {format_count(height, 'fr')} px ; "
        f"maximum {format_count(max_w, 'fr')} x {format_count(max_h, 'fr')}. "
        "Réduisez-la (la plateforme peut le faire pour vous après aperçu) et envoyez-la à nouveau.",
        f"Your photo is {format_count(width, 'en')} x {format_count(height, 'en')} px; "
        f"the maximum is {format_count(max_w, 'en')} x {format_count(max_h, 'en')}. "
        "Scale it down (the platform can do it for you after a preview) and upload it again.",
        {"width": width, "height": height, "max_width": max_w, "max_height": max_h},
    )


def photo_scalable_limit(rules: UploadRules) -> tuple[int, int]:
    """The largest photo (width, height, either way round) the platform decodes at all."""
    return (
        PHOTO_SCALABLE_FACTOR * rules.photo_max_width,
        PHOTO_SCALABLE_FACTOR * rules.photo_max_height,
    )


def photo_beyond_scaling(width: int, height: int, rules: UploadRules) -> bool:
    """True when a photo's declared size is beyond what the platform scales down (R10.3)."""
    limit_w, limit_h = photo_scalable_limit(rules)
    return max(width, height) > max(limit_w, limit_h) or width * height > limit_w * limit_h


def _reason_photo_far_too_large(width: int, height: int, rules: UploadRules) -> Reason:
    max_w, max_h = rules.photo_max_width, rules.photo_max_height
    limit_w, limit_h = photo_scalable_limit(rules)

    def dims(w: int, h: int, language: str) -> str:
        return f"{format_count(w, language)} x {format_count(h, language)}"

    return Reason(
        "upload.photo_far_too_large",
        f"Votre photo fait {dims(width, height, 'fr')} px, bien plus qu'une photo d'identité "
        f"n'en demande (maximum {dims(max_w, max_h, 'fr')} px ; la plateforme ne réduit pas "
        f"une photo de plus de {dims(limit_w, limit_h, 'fr')} px). Réduisez-la sur votre "
        "appareil (ou envoyez-en une version plus petite) et envoyez-la à nouveau.",
        f"Your photo is {dims(width, height, 'en')} px, far more than an identity photo needs "
        f"(the maximum is {dims(max_w, max_h, 'en')} px; the platform does not scale down a "
        f"photo over {dims(limit_w, limit_h, 'en')} px). Scale it down on your device (or "
        "upload a smaller version) and upload it again.",
        {"width": width, "height": height, "max_width": max_w, "max_height": max_h},
    )


def _reason_not_colour(greyscale_mode: bool) -> Reason:
    what_fr = "en niveaux de gris" if greyscale_mode else "en noir et blanc"
    what_en = "greyscale" if greyscale_mode else "black and white"
    return Reason(
        "upload.photo_not_colour",
        f"Votre photo est {what_fr} ; la photo doit être en couleur. "
        "Envoyez une photo récente en couleur.",
        f"Your photo is {what_en}; the photo must be in colour. Upload a recent colour photo.",
        {"greyscale_mode": greyscale_mode},
    )


def _reason_pdf_unreadable(detail_fr: str = "", detail_en: str = "") -> Reason:
    return Reason(
        "upload.pdf_unreadable",
        f"Votre PDF est illisible{detail_fr} : il est incomplet ou endommagé. Ouvrez-le pour le "
        "vérifier, puis enregistrez-le ou imprimez-le à nouveau en PDF et renvoyez-le.",
        f"Your PDF cannot be read{detail_en}: it is incomplete or damaged. Open it to check it, "
        "then save or print it again as PDF and upload it again.",
    )


def _reason_pdf_password() -> Reason:
    return Reason(
        "upload.pdf_password",
        "Votre PDF est protégé par un mot de passe : le service ne pourrait pas l'ouvrir. "
        "Enregistrez-en une copie sans mot de passe (ou imprimez-le en PDF) et envoyez-la.",
        "Your PDF is protected by a password: the staff could not open it. Save a copy without "
        "a password (or print it to PDF) and upload it.",
    )


def _reason_pdf_encrypted() -> Reason:
    return Reason(
        "upload.pdf_encrypted",
        "Votre PDF est chiffré (protégé par un mot de passe de restriction, même s'il s'ouvre "
        "sans mot de passe) : les outils du service pourraient ne pas l'ouvrir. Imprimez-le "
        "en PDF pour obtenir une copie sans protection et envoyez-la.",
        "Your PDF is encrypted (protected by a restrictions password, even though it opens "
        "without one): the staff's tools might not open it. Print it to PDF to get an "
        "unprotected copy and upload it.",
    )


def _reason_pdf_active(feature: str) -> Reason:
    return Reason(
        "upload.pdf_active",
        f"Votre PDF contient du contenu actif ({feature} : script, programme lancé, fichier "
        "joint, formulaire dynamique ou lecteur multimédia), refusé pour la sécurité des "
        "personnes qui l'ouvriront. Imprimez-le en PDF (« Imprimer », puis « Enregistrer au "
        "format PDF ») pour en obtenir une copie sans ce contenu, et envoyez-la.",
        f"Your PDF holds active content ({feature}: a script, a program to launch, an embedded "
        "file, a dynamic form or a media player), refused for the safety of the people who "
        'will open it. Print it to PDF ("Print", then "Save as PDF") to get a copy without '
        "it, and upload that copy.",
        {"feature": feature},
    )


def _reason_pdf_inflates(limit: int) -> Reason:
    return Reason(
        "upload.pdf_inflates",
        f"Votre PDF se décompresse en plus de {format_size(limit, 'fr')}, bien au-delà d'un "
        "document numérisé : il ne peut pas être accepté. Imprimez-le en PDF ou numérisez le "
        "document à nouveau en résolution normale, et envoyez-le.",
        f"Your PDF inflates to more than {format_size(limit, 'en')}, far beyond a scanned "
        "document: it cannot be accepted. Print it to PDF or scan the document again at a "
        "normal resolution, and upload it.",
        {"max_inflated_bytes": limit},
    )


def _reason_pdf_no_pages() -> Reason:
    return Reason(
        "upload.pdf_no_pages",
        "Votre PDF ne contient aucune page. Vérifiez le fichier, enregistrez-le à nouveau et "
        "renvoyez-le.",
        "Your PDF has no page. Check the file, save it again and upload it again.",
    )


def _reason_pdf_too_many_pages(pages: int | None, limit: int, counted_up_to: int) -> Reason:
    """``pages`` is None when the page tree is absurd or holds more than ``counted_up_to`` pages."""
    if pages is None:
        count_fr = f"plus de {format_count(counted_up_to, 'fr')}"
        count_en = f"more than {format_count(counted_up_to, 'en')}"
    else:
        count_fr, count_en = format_count(pages, "fr"), format_count(pages, "en")
    return Reason(
        "upload.pdf_too_many_pages",
        f"Votre PDF compte {count_fr} pages ; maximum {format_count(limit, 'fr')}. "
        "Ne gardez que les pages demandées et envoyez-le à nouveau.",
        f"Your PDF has {count_en} pages; the maximum is {format_count(limit, 'en')}. "
        "Keep only the pages asked for and upload it again.",
        {"pages": pages, "max_pages": limit},
    )


# --- Inspection -------------------------------------------------------------------------------


def inspect_upload(
    data: bytes | bytearray | memoryview | IO[bytes],
    rules: UploadRules,
    *,
    kind: Kind = "document",
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES,
) -> Inspection:
    """Judge an upload by its content (R3.4); the file's name is not even an argument.

    ``data`` is the file's bytes or a binary file object (read from its start, at most
    ``rules.max_bytes + 1`` bytes). ``kind="photo"`` adds the photo rules of R3.3: JPEG or
    PNG, colour, at most ``photo_max_width`` x ``photo_max_height`` pixels.
    """
    if kind not in ("document", "photo"):
        raise RulesError(
            Reason(
                "upload.unknown_kind",
                f"Type de pièce inconnu : « {kind} » (attendu : document, photo).",
                f"Unknown kind of upload: '{kind}' (expected document or photo).",
                {"kind": kind},
            )
        )
    content, size = _read_bounded(data, rules.max_bytes)
    if size == 0:
        return Inspection(False, None, None, 0, reasons=(_reason_empty(kind),))
    if size is None or size > rules.max_bytes:
        return Inspection(
            False, None, None, size, reasons=(_reason_too_large(kind, size, rules.max_bytes),)
        )

    found = sniff_format(content)
    accepted = rules.photo_formats if kind == "photo" else rules.allowed_formats
    if found is None or found not in accepted:
        return Inspection(
            False,
            found,
            CONTENT_TYPES.get(found) if found else None,
            size,
            reasons=(_reason_format(kind, accepted, found, content[:PDF_HEADER_WINDOW]),),
        )
    if found == "pdf":
        return _inspect_pdf(content, size, max_pdf_pages, rules)
    return _inspect_image(content, size, found, rules, kind)


def _inspect_image(
    content: bytes, size: int, found: str, rules: UploadRules, kind: Kind
) -> Inspection:
    def refuse(*reasons: Reason, width: int | None = None, height: int | None = None) -> Inspection:
        return Inspection(False, found, CONTENT_TYPES[found], size, width, height, reasons=reasons)

    header_size = image_header_size(content, found)
    if header_size is None:
        return refuse(_reason_image_unreadable(kind, found))
    width, height = header_size
    if width * height > rules.max_image_pixels:
        return refuse(
            _reason_absurd(kind, width, height, rules.max_image_pixels), width=width, height=height
        )
    if kind == "photo" and photo_beyond_scaling(width, height, rules):
        return refuse(_reason_photo_far_too_large(width, height, rules), width=width, height=height)

    if found == "png" and not png_data_complete(content):
        return refuse(_reason_image_unreadable(kind, found), width=width, height=height)
    # The image data (after the last start-of-scan marker) must reach an end-of-image marker;
    # data a phone appends after it is fine. Checked here rather than left to Pillow, because
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which hides truncation.
    if found == "jpeg" and content.rfind(b"\xff\xd9") < content.rfind(b"\xff\xda"):
        return refuse(_reason_image_unreadable(kind, found), width=width, height=height)
    try:
        with Image.open(io.BytesIO(content), formats=[found.upper()]) as image:
            width, height = image.size  # Pillow's reading of the header, trusted from here on
            if width * height > rules.max_image_pixels:
                return refuse(
                    _reason_absurd(kind, width, height, rules.max_image_pixels),
                    width=width,
                    height=height,
                )
            image.verify()  # chunk checksums (PNG); the image cannot be used after verify()
        if found == "png" and kind == "document" and width * height > FULL_DECODE_MAX_PIXELS:
            # Checksums (verify) and every row's data (png_data_complete) are already checked;
            # decoding a 50-megapixel scan again would cost 150 MB and most of a second.
            return Inspection(True, found, CONTENT_TYPES[found], size, width, height)
        with Image.open(io.BytesIO(content), formats=[found.upper()]) as image:
            orientation = image.getexif().get(0x0112, 1)
            if found == "jpeg":
                # Decode at 1/8 scale when large: every compressed byte is still decoded (so a
                # truncated file is still detected) but the pixels take 64 times less memory.
                image.draft(None, (max(1, width // 8), max(1, height // 8)))
            image.load()
            mode = image.mode
            black_and_white = (
                kind == "photo" and mode not in GREYSCALE_MODES and _looks_black_and_white(image)
            )
    except Image.DecompressionBombError:
        return refuse(
            _reason_absurd(kind, width, height, rules.max_image_pixels), width=width, height=height
        )
    except Exception:  # Pillow's parsers raise many types on hostile data: all mean "unreadable"
        return refuse(_reason_image_unreadable(kind, found))

    if orientation in (5, 6, 7, 8):  # rotated a quarter turn: shown as height x width
        width, height = height, width
    if kind == "document":
        return Inspection(True, found, CONTENT_TYPES[found], size, width, height)

    reasons = []
    if mode in GREYSCALE_MODES:
        reasons.append(_reason_not_colour(greyscale_mode=True))
    elif black_and_white:
        reasons.append(_reason_not_colour(greyscale_mode=False))
    too_big = width > rules.photo_max_width or height > rules.photo_max_height
    if too_big:
        reasons.append(_reason_photo_dimensions(width, height, rules))
    if reasons:
        return Inspection(
            False,
            found,
            CONTENT_TYPES[found],
            size,
            width,
            height,
            reasons=tuple(reasons),
            can_scale_down=too_big and len(reasons) == 1,
        )
    return Inspection(True, found, CONTENT_TYPES[found], size, width, height)


def _looks_black_and_white(image: Image.Image) -> bool:
    """True when every pixel of a small thumbnail is grey (R, G and B within a few levels).

    The image is shrunk in place (the caller is done with it), then converted to RGB: palette,
    CMYK or alpha images are judged on the colours as shown.
    """
    image.thumbnail(GREY_SAMPLE_SIZE, Image.Resampling.BILINEAR)
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA")  # Pillow warns when a palette with transparency goes to RGB
    image = image.convert("RGB")
    red, green, blue = image.split()
    spread = ImageChops.lighter(
        ImageChops.lighter(ImageChops.difference(red, green), ImageChops.difference(green, blue)),
        ImageChops.difference(red, blue),
    )
    coloured = sum(spread.histogram()[GREY_TOLERANCE + 1 :])
    return coloured <= GREY_MAX_COLOURED_SHARE * image.width * image.height


def image_header_size(content: bytes, found: str) -> tuple[int, int] | None:
    """Width and height as the header declares them, without Pillow, or None if unreadable."""
    if found == "png":
        if len(content) < 24 or content[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", content[16:24])
    return _jpeg_header_size(content)


_PNG_CHANNELS = {
    0: 1,
    2: 3,
    3: 1,
    4: 2,
    6: 4,
}  # by colour type: grey, RGB, palette, grey+alpha, RGBA
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)


def png_data_complete(content: bytes) -> bool:
    """True when the PNG's compressed data holds every row its header announces.

    Pillow loads without complaint a PNG whose zlib stream ends early but cleanly (the rest
    of the picture comes out black), so the rows are counted here: the IDAT data is inflated
    in slices and thrown away, in memory bounded whatever the size of the picture.
    """
    if len(content) < 33 or content[12:16] != b"IHDR":
        return False
    width, height, depth, colour_type, _c, _f, interlace = struct.unpack(">IIBBBBB", content[16:29])
    channels = _PNG_CHANNELS.get(colour_type)
    if channels is None or depth not in (1, 2, 4, 8, 16):
        return False
    bits_per_pixel = depth * channels

    def rows_bytes(columns: int, rows: int) -> int:
        return 0 if columns == 0 or rows == 0 else rows * (1 + (columns * bits_per_pixel + 7) // 8)

    if interlace:
        expected = sum(
            rows_bytes((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy)
            for x0, y0, dx, dy in _ADAM7
        )
    else:
        expected = rows_bytes(width, height)

    inflater = zlib.decompressobj()
    produced = 0
    position = 8
    while position + 12 <= len(content) and produced < expected:
        length, chunk_type = struct.unpack(">I4s", content[position : position + 8])
        payload = content[position + 8 : position + 8 + length]
        position += 12 + length
        if chunk_type == b"IEND":
            break
        if chunk_type != b"IDAT":
            continue
        try:
            while payload and produced < expected:
                produced += len(inflater.decompress(payload, 1 << 20))
                payload = inflater.unconsumed_tail
        except zlib.error:
            return False
    return produced >= expected


_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_header_size(content: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments up to the first frame header (SOFn) and read its size."""
    position = 2
    end = len(content)
    while position + 4 <= end:
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        if marker in _JPEG_SOF:
            if length < 7 or position + 9 > end:
                return None
            height, width = struct.unpack(">HH", content[position + 5 : position + 9])
            return width, height
        if length < 2:
            return None
        position += 2 + length
    return None


def _inspect_pdf(content: bytes, size: int, max_pages: int, rules: UploadRules) -> Inspection:
    def refuse(reason: Reason, pages: int | None = None) -> Inspection:
        return Inspection(False, "pdf", CONTENT_TYPES["pdf"], size, pages=pages, reasons=(reason,))

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            # Even with an empty user password (opens without asking) the file stays encrypted,
            # and some tools refuse it: both cases are refused, with the right words.
            try:
                opens_freely = reader.decrypt("") != 0
            except Exception:  # an unsupported algorithm, a missing crypto library...
                opens_freely = False
            return refuse(_reason_pdf_encrypted() if opens_freely else _reason_pdf_password())
        counted_up_to = PDF_PAGE_COUNT_FACTOR * max_pages
        counted = _bounded_page_count(reader, counted_up_to)
        if counted is None or counted > max_pages:
            return refuse(_reason_pdf_too_many_pages(counted, max_pages, counted_up_to), counted)
        hazard = _pdf_hazard(reader, content, rules)
        if hazard is not None:
            return refuse(hazard)
        pages = len(reader.pages)
        if pages == 0:
            return refuse(_reason_pdf_no_pages(), 0)
        if pages > max_pages:
            return refuse(_reason_pdf_too_many_pages(pages, max_pages, counted_up_to), pages)
        for number, page in enumerate(reader.pages, start=1):
            box = page.mediabox
            box_width, box_height = float(box.width), float(box.height)
            if (
                not (math.isfinite(box_width) and math.isfinite(box_height))
                or min(box_width, box_height) <= 0
            ):
                return refuse(
                    _reason_pdf_unreadable(
                        f" (page {number} sans dimensions)", f" (page {number} has no size)"
                    ),
                    pages,
                )
    except Exception:  # pypdf raises PdfReadError, PdfStreamError, KeyError, RecursionError...
        return refuse(_reason_pdf_unreadable())
    return Inspection(True, "pdf", CONTENT_TYPES["pdf"], size, pages=pages)


class _PdfTooComplex(Exception):
    """More objects than any document needs: judged unreadable."""


def _pdf_hazard(reader: PdfReader, content: bytes, rules: UploadRules) -> Reason | None:
    """Why opening this PDF would be unsafe or too costly, or None (issue 10).

    Every object the cross-reference table lists (reachable from the catalog or not, those
    inside compressed object streams included) is looked at: its keys, its action type and its
    annotation type, without decoding any content. Streams compressed with FlateDecode are then
    inflated in slices and thrown away, and the whole file is refused as soon as their total
    passes ``PDF_INFLATION_RATIO`` times the campaign's maximum size. The raw bytes outside
    stream bodies, and the inflated object streams, are also scanned for the names of active
    content: a reader that repairs a broken file might see objects pypdf does not.
    """
    inflated_limit = PDF_INFLATION_RATIO * rules.max_bytes
    raw = _pdf_raw_active_name(_outside_stream_bodies(content))
    if raw is not None:
        return _reason_pdf_active(raw)
    streams: list[StreamObject] = []
    feature = _pdf_active_feature(reader, streams)
    if feature is not None:
        return _reason_pdf_active(feature)
    inflated = 0
    for stream in streams:
        if stream.get("/Subtype") == "/Image":
            width, height = stream.get("/Width", 0), stream.get("/Height", 0)
            if (
                isinstance(width, int)
                and isinstance(height, int)
                and width * height > rules.max_image_pixels
            ):
                return _reason_absurd("document", width, height, rules.max_image_pixels)
        filters = stream.get("/Filter")
        first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
        if first not in ("/FlateDecode", "/Fl"):
            continue
        keep = stream.get("/Type") == "/ObjStm"  # objects, scanned below; small in practice
        output = _inflate_bounded(stream._data, inflated_limit - inflated, keep=keep)
        if output is None:
            return _reason_pdf_inflates(inflated_limit)
        produced, kept = output
        inflated += produced
        if kept:
            raw = _pdf_raw_active_name(kept)
            if raw is not None:
                return _reason_pdf_active(raw)
    return None


def _outside_stream_bodies(content: bytes) -> bytes:
    """The PDF's bytes with every ``stream ... endstream`` body left out, in one pass.

    Compressed data can hold any byte sequence, ``/JS`` included; the objects around it cannot.
    A regular expression with a lazy ``.*?`` would rescan to the end of the file for each
    ``stream`` keyword lacking its ``endstream``: quadratic on a crafted file.
    """
    parts = []
    position = 0
    while True:
        start = PDF_STREAM_START.search(content, position)
        if start is None:
            parts.append(content[position:])
            break
        parts.append(content[position : start.start()])
        end = content.find(b"endstream", start.end())
        if end < 0:
            break  # the rest of the file is a stream body
        position = end + len(b"endstream")
    return b" ".join(parts)


def _pdf_raw_active_name(data: bytes) -> str | None:
    for match in PDF_NAME_TOKEN.finditer(data):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match[1])
        if name in PDF_RAW_ACTIVE_NAMES:
            return "/" + name.decode("latin-1")
    return None


def _inflate_bounded(data: bytes, budget: int, *, keep: bool) -> tuple[int, bytes] | None:
    """How many bytes ``data`` inflates to (and them, if ``keep``), or None past ``budget``.

    A damaged stream counts what came out before the damage: refusing it is left to readers.
    """
    inflater = zlib.decompressobj()
    produced = 0
    kept: list[bytes] = []
    pending = data
    try:
        while pending:
            chunk = inflater.decompress(pending, 1 << 20)
            pending = inflater.unconsumed_tail
            produced += len(chunk)
            if produced > budget:
                return None
            if keep:
                kept.append(chunk)
            if not chunk and not pending:
                break
            if inflater.eof:
                break
    except zlib.error:
        pass
    return produced, b"".join(kept)


def _pdf_active_feature(reader: PdfReader, streams: list[StreamObject]) -> str | None:
    """The first active feature found in the PDF's objects, or None; collects its streams."""
    stack: list[object] = [reader.trailer]
    for generation, table in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in table)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                item = item.get_object()
            except Exception:  # noqa: S112 - a dangling entry in a damaged table: nothing to run
                continue
        if not isinstance(item, DictionaryObject | ArrayObject):
            continue  # numbers, names, strings: nothing inside
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise _PdfTooComplex
        if isinstance(item, DictionaryObject):
            if isinstance(item, StreamObject):
                streams.append(item)
            for name, value in dict.items(item):  # values unresolved: the walk resolves them
                if name in PDF_ACTIVE_KEYS:
                    return str(name)
                if (
                    name in ("/S", "/Subtype", "/Type")
                    and isinstance(value, NameObject)
                    and value in PDF_ACTIVE_TYPES
                ):
                    return str(value)
                if name in PDF_AUTOMATIC_ACTION_KEYS and _runs_more_than_navigation(value):
                    return str(name)
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _runs_more_than_navigation(value: object) -> bool:
    """An /OpenAction or /AA entry that does more than go to a page (opening a web address...).

    /OpenAction is often a destination (an array) or a /GoTo: both harmless. /AA maps events to
    actions; each must be a /GoTo too. A chain (/Next) is followed by the main walk.
    """
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if isinstance(value, ArrayObject):  # a destination: [page /Fit]
        return False
    if not isinstance(value, DictionaryObject):
        return False
    if "/S" in value:
        return value.get("/S") != "/GoTo"
    return any(  # an /AA dictionary: one action per event
        _runs_more_than_navigation(action) if not isinstance(action, ArrayObject) else False
        for action in dict.values(value)
    )


def _bounded_page_count(reader: PdfReader, limit: int) -> int | None:
    """Count the leaves of the page tree, or None past ``limit`` pages or for an absurd tree.

    pypdf flattens the whole tree on ``len(reader.pages)``; a small hostile file can hold
    tens of thousands of pages, or a cyclic or very deep tree. This walk gives up early.
    """
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, dict):  # no catalogue: the caller refuses the file as unreadable
        raise ValueError("the PDF's /Root is not a dictionary")
    stack = [(root["/Pages"], 0)]
    seen: set[tuple[int, int]] = set()
    leaves = 0
    nodes = 0
    while stack:
        reference, depth = stack.pop()
        if isinstance(reference, IndirectObject):
            key = (reference.idnum, reference.generation)
            if key in seen:
                return None  # a cycle
            seen.add(key)
        node = reference.get_object()
        nodes += 1
        if depth > 64 or nodes > 4 * limit + 64:
            return None
        kids = node.get("/Kids") if hasattr(node, "get") else None
        if kids is None:
            leaves += 1
            if leaves > limit:
                return None
            continue
        kids = kids.get_object()
        if len(kids) > limit * 4 + 64:
            return None
        stack.extend((kid, depth + 1) for kid in kids)
    return leaves


# --- Transformations --------------------------------------------------------------------------


def scale_down_photo(data: bytes, rules: UploadRules) -> bytes:
    """The photo fitted into ``photo_max_width`` x ``photo_max_height``, same format (R10.3).

    EXIF orientation is applied, metadata (EXIF, XMP, comments, text chunks) is dropped but the
    colour profile kept, and a JPEG's quality is lowered step by step until the file fits in
    ``max_bytes``. Raises ``RulesError`` if the data is not a readable JPEG or PNG photo.
    """
    found = sniff_format(bytes(data[:PDF_HEADER_WINDOW]))
    if found not in ("jpeg", "png"):
        raise RulesError(
            _reason_format("photo", rules.photo_formats, found, bytes(data[:PDF_HEADER_WINDOW]))
        )
    header_size = image_header_size(bytes(data), found)
    if header_size is not None and header_size[0] * header_size[1] > rules.max_image_pixels:
        raise RulesError(_reason_absurd("photo", *header_size, rules.max_image_pixels))
    if header_size is not None and photo_beyond_scaling(*header_size, rules):
        raise RulesError(_reason_photo_far_too_large(*header_size, rules))
    try:
        with Image.open(io.BytesIO(data), formats=[found.upper()]) as original:
            icc_profile = original.info.get("icc_profile")
            image = _reduced_upright(original, (rules.photo_max_width, rules.photo_max_height))
    except Exception as error:
        raise RulesError(_reason_image_unreadable("photo", found)) from error
    image.info = {}

    if found == "png":
        output = _save(image, "PNG", optimize=True, icc_profile=icc_profile)
        if len(output) > rules.max_bytes:  # photographic noise: 256 colours always fit
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            reduced = image.convert("RGBA" if has_alpha else "RGB").quantize(
                256, method=Image.Quantize.FASTOCTREE
            )
            output = _save(reduced, "PNG", optimize=True)
        return output

    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    for quality in JPEG_QUALITIES:
        output = _save(image, "JPEG", quality=quality, optimize=True, icc_profile=icc_profile)
        if len(output) <= rules.max_bytes:
            return output
    raise RulesError(
        Reason(
            "upload.scale_down_failed",
            f"La photo réduite dépasse encore {format_size(rules.max_bytes, 'fr')}. "
            "Envoyez une photo plus légère.",
            f"The scaled-down photo is still over {format_size(rules.max_bytes, 'en')}. "
            "Upload a lighter photo.",
        )
    )


_EXIF_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _reduced_upright(original: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``original`` fitted into ``box`` as displayed (EXIF orientation applied), decoded reduced.

    Shrinking comes first, on the image as stored: ``thumbnail`` asks a JPEG's decoder for a
    1/2 to 1/8 scale (``draft``) and shrinks a PNG with ``reduce`` before resampling, so a
    12-megapixel phone photo is never held at full size; ``exif_transpose`` first would copy
    the full-size picture. The quarter-turn is applied to the small result.
    """
    orientation = original.getexif().get(0x0112, 1)
    if orientation in (5, 6, 7, 8):  # stored on its side: the box is turned too
        box = (box[1], box[0])
    original.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=2.0)  # in place, loaded
    method = _EXIF_TRANSPOSE.get(orientation)
    return original.transpose(method) if method is not None else original.copy()


def _save(image: Image.Image, format_name: str, **options) -> bytes:
    options = {key: value for key, value in options.items() if value is not None}
    buffer = io.BytesIO()
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


def combine_pages(images_and_pdfs: list[bytes], *, rules: UploadRules | None = None) -> bytes:
    """One PDF made of several parts in order, e.g. an identity card's front and back (R10.3).

    Images become one page each (orientation applied, transparency flattened on white, at
    most 2480 px on the long side); PDFs contribute all their pages. With ``rules``, each part
    must first pass ``inspect_upload`` as a document. The caller inspects the result too (its
    size depends on the parts). Raises ``RulesError`` naming the part that cannot be used.
    """
    if not images_and_pdfs:
        raise RulesError(
            Reason("upload.combine_nothing", "Aucune page à assembler.", "No page to combine.")
        )
    writer = PdfWriter()
    for number, part in enumerate(images_and_pdfs, start=1):
        part = bytes(part)
        if rules is not None:
            inspection = inspect_upload(part, rules, kind="document")
            if not inspection.ok:
                raise RulesError(inspection.reasons[0])
        found = sniff_format(part[:PDF_HEADER_WINDOW])
        try:
            if found == "pdf":
                reader = PdfReader(io.BytesIO(part), strict=False)
                if reader.is_encrypted:
                    raise RulesError(_reason_pdf_password())
                for page in reader.pages:
                    writer.add_page(page)
            elif found in ("jpeg", "png"):
                writer.append(PdfReader(io.BytesIO(_image_as_pdf(part))))
            else:
                raise RulesError(
                    _reason_format(
                        "document", ("jpeg", "png", "pdf"), None, part[:PDF_HEADER_WINDOW]
                    )
                )
        except RulesError:
            raise
        except Exception as error:
            raise RulesError(
                Reason(
                    "upload.combine_unreadable",
                    f"La partie n° {number} est illisible ; envoyez-la à nouveau.",
                    f"Part {number} cannot be read; upload it again.",
                    {"part": number},
                )
            ) from error
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_as_pdf(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as original:
        image = _reduced_upright(original, (COMBINED_PAGE_MAX_SIDE, COMBINED_PAGE_MAX_SIDE))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = flat
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A resolution that makes the page at most A4, and no bigger than 150 dpi would.
    resolution = max(150.0, image.width / A4_INCHES[0], image.height / A4_INCHES[1])
    return _save(image, "PDF", resolution=resolution, quality=85)


# --- File names -------------------------------------------------------------------------------

FILENAME_MAX_LENGTH = 120
FILENAME_FALLBACK = "document"
_KEPT_PUNCTUATION = frozenset(".-_ ")


def sanitize_filename(name: str | None) -> str:
    """A file name safe to display: no directories, control or bidi characters, at most 120 chars.

    Keeps letters (accents included), digits and ``. - _`` and spaces; anything else becomes a
    space; spaces are collapsed. Never empty: ``document`` when nothing is left. For display
    only: files are stored under generated names.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char.isspace():  # tabs and line breaks too, before they count as control characters
            kept.append(" ")
        elif (
            category[0] == "C"
        ):  # control, format (bidi overrides, zero width), private, unassigned
            continue
        elif category[0] in "LNM" or char in _KEPT_PUNCTUATION:
            kept.append(char)
        else:
            kept.append(" ")
    text = re.sub(r"\s+", " ", "".join(kept))
    text = re.sub(r"\.{2,}", ".", text).strip(" .-_")
    if len(text) > FILENAME_MAX_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and stem and 0 < len(extension) <= 10:
            text = f"{stem[: FILENAME_MAX_LENGTH - len(extension) - 1].rstrip(' .-_')}.{extension}"
        else:
            text = text[:FILENAME_MAX_LENGTH].rstrip(" .-_")
    return text or FILENAME_FALLBACK


def download_name(name: str, found: str) -> str:
    """The name a stored file is shown and served under: the candidate's name, sanitized, with
    the extension of the format its content was judged to be (issue 10).

    The extension the candidate gave is never trusted: ``poly.html`` judged a PDF is served as
    ``poly.pdf``, ``photo.heic`` holding a JPEG as ``photo.jpg``. Any extension-like suffix is
    dropped (``cv.pdf.exe`` becomes ``cv.pdf.pdf`` rather than keeping ``.exe``).
    """
    extension = FORMAT_EXTENSIONS.get(found, "bin")
    stem = sanitize_filename(name)
    head, dot, tail = stem.rpartition(".")
    if dot and head and 0 < len(tail) <= 10 and " " not in tail:
        stem = head
    stem = stem[: FILENAME_MAX_LENGTH - len(extension) - 1].rstrip(" .-_") or FILENAME_FALLBACK
    return f"{stem}.{extension}"
