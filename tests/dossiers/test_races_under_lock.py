"""Issue 9: services that change a dossier lock its row first, then check, then write.

Each race is played on PostgreSQL with separate connections (one per thread), as
test_concurrent_submission.py does; where the timing matters, the other request is started at
the exact moment a real race would put it (while a file is being judged, while the lock is
held), so that each test fails, every time, when its protection is removed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from admissions.audit.models import AuditEntry
from admissions.documents import services as document_services
from admissions.documents.models import Document, PendingDeclaration
from admissions.documents.services import DocumentError, declare_pending, store_document
from admissions.dossiers import services as dossier_services
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.payments import services as payment_services
from admissions.payments.models import Payment
from admissions.payments.services import declare_payment
from tests.documents import corpus
from tests.dossiers.helpers import (
    IN_WINDOW,
    complete_dossier,
    fill_pages,
    received_recommendations,
    upload_everything,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

TRANSCRIPT = "transcripts_current_year"  # the slot that may be declared "not yet available"


@pytest.fixture(autouse=True)
def _postgresql_only(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (select_for_update) need PostgreSQL; SQLite serialises writers itself"
        )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def in_own_connection(work: Callable[[], object], errors: list[BaseException]) -> threading.Thread:
    """``work`` in a thread, hence on its own database connection; its exception kept."""

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def submit_elsewhere(dossier: Dossier, errors: list[BaseException]) -> threading.Thread:
    return in_own_connection(
        lambda: submit_dossier(
            dossier=Dossier.objects.get(pk=dossier.pk), by=dossier.candidate, now=IN_WINDOW
        ),
        errors,
    )


@pytest.fixture
def ready_dossier(reference_campaign: Any, accounts_by_role: Any) -> Dossier:
    """A draft that could be submitted now: every page, file, payment and recommendation."""
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    return dossier


def new_cv() -> SimpleUploadedFile:
    return SimpleUploadedFile("cv-v2.pdf", corpus.pdf(), "application/pdf")


def snapshot_files(dossier: Dossier) -> dict[str, str]:
    snapshot = Dossier.objects.get(pk=dossier.pk).snapshot
    return {code: entry["sha"] for code, entry in snapshot["documents"].items()}


# --- (a) an upload racing a submission ------------------------------------------------------


def test_an_upload_judged_while_the_dossier_gets_submitted_is_refused(
    ready_dossier: Dossier, reference_campaign: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The submission commits while the new CV is being judged (outside any transaction): the
    upload must see it under the lock and keep the CV the snapshot names."""
    old_cv = Document.objects.get(dossier=ready_dossier, code="cv").file.name
    judge = document_services.inspect_upload
    errors: list[BaseException] = []

    def judged_during_a_submission(*args: Any, **kwargs: Any) -> Any:
        submit_elsewhere(ready_dossier, errors).join()
        return judge(*args, **kwargs)

    monkeypatch.setattr(document_services, "inspect_upload", judged_during_a_submission)

    with pytest.raises(DocumentError) as refused:
        store_document(
            dossier=ready_dossier,
            code="cv",
            upload=new_cv(),
            by=ready_dossier.candidate,
            now=IN_WINDOW,
            params=reference_campaign.params(),
        )

    assert errors == []
    assert str(refused.value.message) == (
        "Votre dossier n'est plus modifiable : cette pièce ne peut plus être changée."
    )
    assert snapshot_files(ready_dossier)["cv"] == old_cv
    assert Document.objects.get(dossier=ready_dossier, code="cv").file.name == old_cv
    assert all(default_storage.exists(name) for name in snapshot_files(ready_dossier).values())


def test_a_submission_waits_for_an_upload_holding_the_lock_and_freezes_the_new_file(
    ready_dossier: Dossier, reference_campaign: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The submission starts while the upload holds the dossier's lock: it waits, then its
    snapshot names the new CV; the old one is deleted once the upload committed."""
    old_cv = Document.objects.get(dossier=ready_dossier, code="cv").file.name
    check = document_services._check_may_store
    errors: list[BaseException] = []
    submission: list[threading.Thread] = []
    waited: list[bool] = []

    def checked_then_a_submission_starts(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        if not connection.in_atomic_block:
            return  # the early check, before the file is judged
        # The upload checked under the lock and has written nothing yet: a submission now.
        submission.append(submit_elsewhere(ready_dossier, errors))
        time.sleep(0.5)  # long enough for the submission to reach the lock, or to commit
        waited.append(submission[0].is_alive())

    monkeypatch.setattr(document_services, "_check_may_store", checked_then_a_submission_starts)

    stored = store_document(
        dossier=ready_dossier,
        code="cv",
        upload=new_cv(),
        by=ready_dossier.candidate,
        now=IN_WINDOW,
        params=reference_campaign.params(),
    )
    submission[0].join()

    assert errors == []
    assert waited == [True]
    assert Dossier.objects.get(pk=ready_dossier.pk).state == Dossier.State.SUBMITTED
    assert snapshot_files(ready_dossier)["cv"] == stored.file.name != old_cv
    assert (default_storage.exists(stored.file.name), default_storage.exists(old_cv)) == (
        True,
        False,
    )
    assert all(default_storage.exists(name) for name in snapshot_files(ready_dossier).values())


# --- (b) "not yet available" declarations ----------------------------------------------------


@pytest.fixture
def draft_without_transcript(ready_dossier: Dossier) -> Dossier:
    Document.objects.filter(dossier=ready_dossier, code=TRANSCRIPT).delete()
    return Dossier.objects.get(pk=ready_dossier.pk)


def declare(dossier: Dossier, campaign: Any) -> None:
    declare_pending(
        dossier=dossier,
        code=TRANSCRIPT,
        by=dossier.candidate,
        now=IN_WINDOW,
        params=campaign.params(),
    )


def test_two_pending_declarations_at_once_record_one(
    draft_without_transcript: Dossier, reference_campaign: Any
) -> None:
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def click() -> None:
        stale = Dossier.objects.get(pk=draft_without_transcript.pk)  # each request reads its own
        start.wait()
        declare(stale, reference_campaign)

    threads = [in_own_connection(click, errors) for _ in range(2)]
    for thread in threads:
        thread.join()

    assert errors == []
    assert PendingDeclaration.objects.filter(dossier=draft_without_transcript).count() == 1
    assert AuditEntry.objects.filter(action="documents.document.declared_pending").count() == 1


def test_a_pending_declaration_read_before_a_submission_records_nothing(
    draft_without_transcript: Dossier, reference_campaign: Any
) -> None:
    """The page was read while the dossier was a draft; the submission commits before the
    declaration: under the lock the dossier is seen submitted and nothing is declared."""
    read_before = Dossier.objects.get(pk=draft_without_transcript.pk)
    # The transcript is missing but the submission is allowed to proceed: put it back first.
    errors: list[BaseException] = []
    upload_everything(draft_without_transcript, reference_campaign)
    submit_elsewhere(draft_without_transcript, errors).join()
    assert errors == []

    with pytest.raises(DocumentError) as refused:
        declare(read_before, reference_campaign)

    assert str(refused.value.message) == "Votre dossier n'est plus modifiable."
    assert PendingDeclaration.objects.filter(dossier=draft_without_transcript).count() == 0


# --- (c) two first payment declarations ------------------------------------------------------


@pytest.fixture
def unpaid_dossier(reference_campaign: Any, accounts_by_role: Any) -> Dossier:
    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )
    return dossier


@pytest.fixture
def both_compute_before_either_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Without the lock, both requests compute what is due before either records it; with
    it, the second waits at the lock and the first goes on after a short wait."""
    compute = payment_services.fee_status
    together = threading.Barrier(2)

    def fee_status(*args: Any, **kwargs: Any) -> Any:
        status = compute(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            together.wait(timeout=1)
        return status

    monkeypatch.setattr(payment_services, "fee_status", fee_status)
    yield


@pytest.mark.usefixtures("both_compute_before_either_writes")
def test_two_first_payment_declarations_at_once_record_one(unpaid_dossier: Dossier) -> None:
    errors: list[BaseException] = []
    returned: list[int] = []

    def click(reference: str) -> None:
        payment = declare_payment(
            dossier=Dossier.objects.get(pk=unpaid_dossier.pk),
            reference=reference,
            by=unpaid_dossier.candidate,
            now=IN_WINDOW,
        )
        returned.append(payment.pk)

    threads = [
        in_own_connection(lambda r=reference: click(r), errors) for reference in ("VIR-1", "VIR-2")
    ]
    for thread in threads:
        thread.join()

    assert errors == []
    payments = list(
        Payment.objects.filter(dossier=unpaid_dossier).values_list("pk", "amount", "state")
    )
    assert len(payments) == 1
    assert payments[0][1:] == (77, Payment.State.DECLARED)
    assert returned == [payments[0][0], payments[0][0]]


def test_a_tariff_change_read_before_a_payment_declaration_is_refused(
    unpaid_dossier: Dossier,
) -> None:
    """The fees page was read before a payment was declared (another tab): the reduced rate
    cannot be claimed afterwards (R3.6), checked under the lock."""
    read_before = Dossier.objects.prefetch_related("payments").get(pk=unpaid_dossier.pk)  # none yet
    errors: list[BaseException] = []
    in_own_connection(
        lambda: declare_payment(
            dossier=unpaid_dossier, reference="VIR-1", by=unpaid_dossier.candidate, now=IN_WINDOW
        ),
        errors,
    ).join()
    assert errors == []

    with pytest.raises(dossier_services.DossierError) as refused:
        dossier_services.save_tariff(
            dossier=read_before,
            scholarship_claimed=True,
            by=unpaid_dossier.candidate,
            now=IN_WINDOW,
        )

    assert (
        str(refused.value.message)
        == "Un paiement est déjà enregistré : le tarif ne peut plus changer."
    )
    assert Dossier.objects.get(pk=unpaid_dossier.pk).scholarship_claimed is False


# --- A page saved as the dossier gets submitted -----------------------------------------------


def test_a_page_read_before_a_submission_is_not_saved_over_it(
    client: Any, ready_dossier: Dossier, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The submission commits after the page's request read the dossier as a draft: the page's
    form must not write the stale row (a draft again, other answers) over the submitted one."""
    from admissions.dossiers.views import desk as desk_views

    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(ready_dossier.candidate)
    read_only_check = desk_views.refuse_if_read_only
    errors: list[BaseException] = []

    def checked_then_submitted_elsewhere(request: Any, desk: Any) -> Any:
        refused = read_only_check(request, desk)  # passes: the request read a draft
        submit_elsewhere(ready_dossier, errors).join()
        return refused

    monkeypatch.setattr(desk_views, "refuse_if_read_only", checked_then_submitted_elsewhere)
    before = Dossier.objects.get(pk=ready_dossier.pk)

    answers = {
        "status_sought": before.status_sought,
        "technician_experience_years": before.technician_experience_years or "",
    }
    if before.employer_agreement:
        answers["employer_agreement"] = "on"

    response = client.post(reverse("dossiers:page", args=["statut"]), answers)  # the same answers

    assert errors == []
    assert (response.status_code, response["Location"]) == (302, reverse("dossiers:overview"))
    after = Dossier.objects.get(pk=ready_dossier.pk)
    assert (after.state, after.snapshot["status_sought"]) == (
        Dossier.State.SUBMITTED,
        before.status_sought,
    )
