"""Bulk PDFs of the check queue (R10.5): one PDF per dossier (answers, then each document's
pages) in a ZIP built in the background, its progress, who may download it, its expiry."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from admissions.accounts.models import Role
from admissions.dossiers.receipts import receipt_pdf
from admissions.dossiers.services import submit_dossier
from admissions.verification import services
from admissions.verification.bulk import image_as_pdf
from admissions.verification.models import BulkExport
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations
from tests.helpers import page_text, pdf_lines
from tests.verification.helpers import make_dossier, officer_of_another_school

pytestmark = pytest.mark.django_db

START = reverse("verification:bulk_export_start")


@pytest.fixture(autouse=True)
def documents_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLOCK_AT = IN_WINDOW.isoformat()


@pytest.fixture
def officer(client, accounts_by_role):
    user = accounts_by_role["central_officer"]
    client.force_login(user)
    return user


@pytest.fixture
def submitted(reference_campaign, accounts_by_role):
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    return submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)


@pytest.fixture
def start(client, django_capture_on_commit_callbacks):
    """POST to the queue's "prepare the ZIP" form; the task runs at commit (immediate backend)."""

    def post(data: dict, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(START, data, **kwargs)

    return post


def zip_of(client, export: BulkExport) -> zipfile.ZipFile:
    response = client.get(reverse("verification:bulk_export_download", args=[export.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_bulk_export_builds_one_pdf_per_dossier_answers_then_documents(
    start, client, officer, submitted, reference_campaign
):
    draft = make_dossier(reference_campaign, "draft@example.org", reference="IMTM-DRAFT")

    response = start({"reference": [submitted.reference, draft.reference]})

    export = BulkExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:bulk_export", args=[export.pk])
    assert (export.state, export.done, export.total) == ("ready", 2, 2)
    archive = zip_of(client, export)
    assert sorted(archive.namelist()) == sorted([f"{submitted.reference}.pdf", "IMTM-DRAFT.pdf"])
    pdf = PdfReader(io.BytesIO(archive.read(f"{submitted.reference}.pdf")))
    receipt_pages = len(PdfReader(io.BytesIO(receipt_pdf(submitted))).pages)
    documents = submitted.documents.count()
    assert documents == 7
    assert len(pdf.pages) == receipt_pages + documents
    assert (
        pdf_lines(archive.read(f"{submitted.reference}.pdf"))[0]
        == pdf_lines(receipt_pdf(submitted))[0]
    )


def test_bulk_export_names_an_unreadable_document_and_goes_on(start, client, officer, submitted):
    lost = submitted.documents.get(code="cv")
    lost.file.storage.delete(lost.file.name)

    start({"reference": [submitted.reference]})

    export = BulkExport.objects.get()
    assert export.state == "ready"
    data = zip_of(client, export).read(f"{submitted.reference}.pdf")
    assert (
        len(PdfReader(io.BytesIO(data)).pages)
        == len(PdfReader(io.BytesIO(receipt_pdf(submitted))).pages) + submitted.documents.count()
    )
    assert pdf_lines(data)[-1].startswith("Pièce « ")
    assert pdf_lines(data)[-1].endswith(" » : fichier illisible, non incluse.")


def test_image_as_pdf_makes_one_page_of_a_transparent_png():
    image = Image.new("RGBA", (300, 200), (255, 0, 0, 128))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    pdf = PdfReader(io.BytesIO(image_as_pdf(buffer.getvalue())))

    assert len(pdf.pages) == 1
    assert (float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)) == (72.0, 48.0)


def test_select_all_matching_the_filters_exports_those_dossiers(
    start, client, officer, reference_campaign
):
    make_dossier(reference_campaign, "a@example.org", reference="R-A", last_name="Dupont")
    make_dossier(reference_campaign, "b@example.org", reference="R-B", last_name="Martin")

    start({"scope": "all", "filters": "q=dupont"})

    export = BulkExport.objects.get()
    assert list(export.dossiers.values_list("reference", flat=True)) == ["R-A"]


def test_an_empty_selection_says_so_and_records_nothing(start, client, officer, reference_campaign):
    response = start({"filters": "state=draft"}, follow=True)

    assert BulkExport.objects.count() == 0
    assert response.redirect_chain[-1][0] == reverse("verification:queue") + "?state=draft"
    assert "Aucun dossier sélectionné : cochez au moins un dossier." in page_text(response)


def test_a_selection_over_the_limit_is_refused(
    start, client, officer, reference_campaign, settings
):
    settings.BULK_EXPORT_MAX_DOSSIERS = 1
    make_dossier(reference_campaign, "a@example.org", reference="R-A")
    make_dossier(reference_campaign, "b@example.org", reference="R-B")

    response = start({"scope": "all", "filters": ""}, follow=True)

    assert BulkExport.objects.count() == 0
    assert "Un export réunit au plus 1 dossier : affinez les filtres." in page_text(response)


def test_dossiers_of_another_school_cannot_be_exported(start, client, reference_campaign):
    make_dossier(reference_campaign, "a@example.org", reference="R-HIDDEN")
    client.force_login(officer_of_another_school())

    start({"reference": ["R-HIDDEN"]})
    start({"scope": "all", "filters": ""})

    assert BulkExport.objects.count() == 0


def test_only_the_requester_and_platform_admins_reach_the_export(
    start, client, officer, reference_campaign, accounts_by_role
):
    make_dossier(reference_campaign, "a@example.org", reference="R-A")
    start({"reference": ["R-A"]})
    export = BulkExport.objects.get()
    other = officer_of_another_school("second-central@example.org")
    pages = [
        reverse("verification:bulk_export", args=[export.pk]),
        reverse("verification:bulk_export_download", args=[export.pk]),
    ]

    client.force_login(other)
    by_other = [client.get(page).status_code for page in pages]
    client.force_login(accounts_by_role["platform_admin"])
    by_admin = [client.get(page).status_code for page in pages]

    assert by_other == [404, 404]
    assert by_admin == [200, 200]


def test_an_administrator_of_another_school_does_not_reach_the_export(
    start, client, officer, reference_campaign
):
    """R9.2: a platform administrator reads an export only if their grants cover every
    dossier in it."""
    make_dossier(reference_campaign, "a@example.org", reference="R-A")
    start({"reference": ["R-A"]})
    export = BulkExport.objects.get()
    client.force_login(officer_of_another_school("other-admin@example.org", Role.PLATFORM_ADMIN))

    answers = [
        client.get(reverse(name, args=[export.pk])).status_code
        for name in ("verification:bulk_export", "verification:bulk_export_download")
    ]

    assert answers == [404, 404]


def test_progress_page_and_its_poll_show_the_count(client, officer, reference_campaign):
    export = BulkExport.objects.create(
        campaign=reference_campaign, requested_by=officer, total=4, done=1, created_at=IN_WINDOW
    )

    page = client.get(reverse("verification:bulk_export", args=[export.pk]))
    poll = client.get(reverse("verification:bulk_export", args=[export.pk]), {"format": "json"})

    assert '<progress id="bulk-progress" max="4" value="1">25 %</progress>' in page.content.decode()
    # The way back to the queue the export was started from.
    assert (
        f'href="{reverse("verification:queue")}">Dossiers à vérifier</a>' in page.content.decode()
    )
    assert poll.json() == {"state": "queued", "done": 1, "total": 4}


def test_a_second_run_of_the_task_builds_nothing(start, client, officer, reference_campaign):
    make_dossier(reference_campaign, "a@example.org", reference="R-A")
    start({"reference": ["R-A"]})
    export = BulkExport.objects.get()
    name = export.file.name

    again = services.build_bulk_export(export_id=export.pk, now=IN_WINDOW)

    assert (again.state, again.done, again.file.name) == ("ready", 1, name)


def test_sweep_deletes_expired_files_only(
    client, officer, reference_campaign, django_capture_on_commit_callbacks
):
    fresh = BulkExport.objects.create(
        campaign=reference_campaign,
        requested_by=officer,
        total=1,
        done=1,
        created_at=IN_WINDOW,
        state="ready",
        expires_at=IN_WINDOW + timedelta(hours=1),
    )
    old = BulkExport.objects.create(
        campaign=reference_campaign,
        requested_by=officer,
        total=1,
        done=1,
        created_at=IN_WINDOW,
        state="ready",
        expires_at=IN_WINDOW,
    )
    fresh.file.save("f.zip", ContentFile(b"zip"))
    old.file.save("o.zip", ContentFile(b"zip"))
    old_name = old.file.name
    storage = old.file.storage

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_bulk_exports", stdout=out)

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert out.getvalue() == "1 export(s) expired and deleted.\n"
    assert (old.state, old.file.name) == ("expired", "")
    assert storage.exists(old_name) is False
    assert (fresh.state, storage.exists(fresh.file.name)) == ("ready", True)
    assert (
        client.get(reverse("verification:bulk_export_download", args=[old.pk])).status_code == 404
    )


@pytest.mark.django_db(transaction=True)
def test_the_real_db_worker_builds_the_export(
    start, client, reference_campaign, accounts_by_role, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(accounts_by_role["central_officer"])
    make_dossier(reference_campaign, "a@example.org", reference="R-A")
    start({"reference": ["R-A"]})
    assert BulkExport.objects.get().state == "queued"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0)

    export = BulkExport.objects.get()
    assert (export.state, export.done) == ("ready", 1)
    assert zip_of(client, export).namelist() == ["R-A.pdf"]
