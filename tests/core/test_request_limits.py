"""Issue 10: the application's own request-size limits. A body beyond what the campaign allows
is refused with a 413 page before it is read; uploads in progress are swept."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory

from admissions.core.middleware import RequestSizeLimitMiddleware

pytestmark = pytest.mark.django_db

MIB = 1_048_576


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_the_limit_allows_a_full_multi_page_slot_and_not_much_more(settings):
    assert settings.MAX_REQUEST_BYTES == 24 * MIB  # 10 pages of 2 MiB, and margin
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MIB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 15


def test_a_30_mib_anonymous_post_is_refused_with_413_and_nothing_is_written(
    client, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    huge = SimpleUploadedFile(
        "cv.pdf", b"%PDF-" + b"0" * (30 * MIB), content_type="application/pdf"
    )

    started = time.monotonic()
    response = client.post("/dossier/pieces/cv/envoyer", {"file": huge})

    assert response.status_code == 413
    assert time.monotonic() - started < 5
    page = response.content.decode()
    assert "<h1>Envoi trop volumineux</h1>" in page
    assert "<p>Ce que vous avez envoyé dépasse 24 Mo : rien n'a été enregistré.</p>" in page
    assert list(tmp_path.iterdir()) == []
    assert Session.objects.count() == 0


def test_the_413_page_speaks_the_visitors_language(client):
    response = client.post(
        "/accounts/login/",
        data=b"x" * (25 * MIB),
        content_type="application/octet-stream",
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 413
    assert "<h1>Upload too large</h1>" in response.content.decode()


def test_the_body_is_refused_before_anything_reads_it(settings):
    request = RequestFactory().post("/dossier/pieces/cv/envoyer")
    request.META["CONTENT_LENGTH"] = str(300 * MIB)
    request.META["wsgi.input"] = UnreadableBody()

    def view_must_not_run(_request):
        raise AssertionError("the request reached the view")

    response = RequestSizeLimitMiddleware(view_must_not_run)(request)

    assert response.status_code == 413
    assert not response.has_header("Connection")  # hop-by-hop: forbidden to a WSGI application


def test_a_request_within_the_limit_goes_on(settings):
    request = RequestFactory().post("/dossier/", data=b"x" * 1000, content_type="text/plain")

    response = RequestSizeLimitMiddleware(lambda _request: "the view's answer")(request)

    assert response == "the view's answer"


def test_sweep_uploads_removes_what_a_killed_process_left(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    left = tmp_path / "tmpa1b2c3.upload.pdf"
    in_progress = tmp_path / "tmpd4e5f6.upload.pdf"
    unrelated = tmp_path / "notes.txt"
    for path in (left, in_progress, unrelated):
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(left, (two_hours_ago, two_hours_ago))
    os.utime(unrelated, (two_hours_ago, two_hours_ago))

    call_command("sweep_uploads", stdout=io.StringIO())

    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt", "tmpd4e5f6.upload.pdf"]
