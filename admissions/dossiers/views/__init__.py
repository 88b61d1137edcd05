"""The candidate's dossier pages (R3.1): thin views over the dossier services."""

from admissions.dossiers.views.desk import Desk, desk_for, explanations, render_page
from admissions.dossiers.views.documents import (
    document_file,
    mark_pending,
    motivation,
    photo_preview,
    photo_preview_file,
    serve_document,
    upload,
    uploads,
)
from admissions.dossiers.views.pages import (
    education,
    experience,
    fees,
    formations,
    identity,
    my_data,
    notice,
    overview,
    page,
    receipt,
    review,
    status,
)

__all__ = [
    "Desk",
    "desk_for",
    "document_file",
    "education",
    "experience",
    "explanations",
    "fees",
    "formations",
    "identity",
    "mark_pending",
    "motivation",
    "my_data",
    "notice",
    "overview",
    "page",
    "photo_preview",
    "photo_preview_file",
    "receipt",
    "render_page",
    "review",
    "serve_document",
    "status",
    "upload",
    "uploads",
]
