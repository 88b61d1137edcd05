"""The presentation file for companies (R7.3): public and company-facing, it holds no personal
data; anyone with the link downloads it."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from admissions.company_search.models import PresentationFile
from admissions.core.access import PUBLIC, require_access


@require_access(PUBLIC)
def presentation(request: HttpRequest, code: str) -> FileResponse:
    row = PresentationFile.objects.filter(campaign__code=code).first()
    if row is None or not row.file:
        raise Http404
    try:
        stored = row.file.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restore without the media)
        raise Http404 from None
    response = FileResponse(
        stored,
        content_type="application/pdf",
        filename=f"dossier-presentation-{code}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
