"""The central check's services (R4.1, R3.6, R3.8): document verdicts, the fix-list email,
the dossier's verdict."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.audit.models import AuditEntry
from admissions.documents.models import Document
from admissions.documents.services import DocumentError, store_document
from admissions.notifications.models import OutboundEmail
from admissions.verification.models import DossierCheck, FixListNotice
from admissions.verification.selectors import next_dossier_to_check
from admissions.verification.services import (
    CheckError,
    decide_dossier,
    notify_fixes,
    review_document,
)
from tests.documents import corpus
from tests.verification.helpers import IN_WINDOW, UNTIL, accept_all, another_submitted, refuse

pytestmark = pytest.mark.django_db


def actions(dossier) -> list[str]:
    return list(
        AuditEntry.objects.for_object(dossier)
        .filter(action__startswith="verification.")
        .values_list("action", flat=True)
    )


def test_review_document_refused_with_a_listed_reason_reopens_the_item(submitted, officer):
    document = review_document(
        document=submitted.documents.get(code="cv"),
        by=officer,
        now=IN_WINDOW,
        verdict="refused",
        reason_code="illisible",
        replace_until=UNTIL,
    )

    stored = Document.objects.get(pk=document.pk)
    assert (
        stored.review,
        stored.refusal_reason_code,
        stored.refusal_reason,
        stored.replacement_requested,
        stored.replace_until,
        stored.reviewed_by,
    ) == (
        "refused",
        "illisible",
        "",
        True,
        UNTIL,
        officer,
    )
    assert actions(submitted) == ["verification.document.reviewed"]


def test_review_document_refused_with_a_written_reason(submitted, officer):
    refuse(submitted, "cv", officer, reason="  Le CV date de 2015.  ")

    assert (
        Document.objects.get(dossier=submitted, code="cv").refusal_reason == "Le CV date de 2015."
    )


def test_review_document_refuses_an_empty_reason_and_records_nothing(submitted, officer):
    with pytest.raises(CheckError) as refused:
        refuse(submitted, "cv", officer, reason="   ")

    assert str(refused.value.message) == (
        "Indiquez le motif du refus : le candidat le lira. Rien n'a été enregistré."
    )
    assert Document.objects.get(dossier=submitted, code="cv").review == "unchecked"
    assert actions(submitted) == []


def test_review_document_without_a_date_uses_the_campaign_deadline(
    submitted, officer, reference_campaign
):
    deadline = IN_WINDOW + timedelta(days=20)
    reference_campaign.replacement_deadline = deadline
    reference_campaign.save()

    review_document(
        document=submitted.documents.get(code="cv"),
        by=officer,
        now=IN_WINDOW,
        verdict="refused",
        reason_text="Illisible.",
    )

    assert Document.objects.get(dossier=submitted, code="cv").replace_until == deadline


def test_review_document_without_any_date_is_refused(submitted, officer):
    with pytest.raises(CheckError) as refused:
        refuse(submitted, "cv", officer, until=None)

    assert str(refused.value.message) == (
        "Indiquez jusqu'à quand le candidat peut remplacer cette pièce."
    )


def test_review_document_of_a_file_replaced_since_the_page_was_read_is_refused(submitted, officer):
    document = submitted.documents.get(code="cv")
    seen = document.uploaded_at - timedelta(minutes=5)  # the page showed an older file

    with pytest.raises(CheckError):
        review_document(
            document=document, by=officer, now=IN_WINDOW, verdict="valid", seen_uploaded_at=seen
        )

    assert Document.objects.get(pk=document.pk).review == "unchecked"


def test_review_document_twice_the_same_records_once(submitted, officer):
    refuse(submitted, "cv", officer)
    refuse(submitted, "cv", officer)

    assert actions(submitted) == ["verification.document.reviewed"]


def test_candidate_may_replace_a_refused_item_until_the_date_only(
    submitted, officer, reference_campaign
):
    refuse(submitted, "cv", officer)
    params = reference_campaign.params()

    def upload(now):
        return store_document(
            dossier=submitted,
            code="cv",
            upload=SimpleUploadedFile("cv.pdf", corpus.pdf(), "application/pdf"),
            by=submitted.candidate,
            now=now,
            params=params,
        )

    with pytest.raises(DocumentError):
        upload(UNTIL)  # the date has come: half-open, closed at UNTIL
    with pytest.raises(DocumentError):
        store_document(  # another item, not asked for, stays closed
            dossier=submitted,
            code="photo",
            upload=SimpleUploadedFile("p.jpg", corpus.jpeg(600, 800), "image/jpeg"),
            by=submitted.candidate,
            now=IN_WINDOW,
            params=params,
        )
    replaced = upload(UNTIL - timedelta(minutes=1))

    assert (replaced.review, replaced.replacement_requested, replaced.replace_until) == (
        "unchecked",
        False,
        None,
    )


def test_notify_fixes_sends_one_email_listing_every_item(
    submitted, officer, django_capture_on_commit_callbacks
):
    refuse(submitted, "cv", officer, reason="CV illisible.")
    refuse(submitted, "photo", officer, reason="Photo en noir et blanc.")

    with django_capture_on_commit_callbacks(execute=True):
        notice = notify_fixes(dossier=submitted, by=officer, now=IN_WINDOW + timedelta(hours=1))

    assert [item["code"] for item in notice.items] == ["photo", "cv"]  # the checklist's order
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert (mail.outbox[0].subject, "- Curriculum vitae : CV illisible." in body.splitlines()) == (
        f"[IMT Mines Albi-Carmaux] Dossier {submitted.reference} : pièces à remplacer",
        True,
    )
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        "- Photo d'identité : Photo en noir et blanc.",
        "- Curriculum vitae : CV illisible.",
    ]


def test_notify_fixes_twice_without_a_new_refusal_sends_nothing_more(
    submitted, officer, django_capture_on_commit_callbacks
):
    refuse(submitted, "cv", officer)
    with django_capture_on_commit_callbacks(execute=True):
        notify_fixes(dossier=submitted, by=officer, now=IN_WINDOW + timedelta(hours=1))

    with pytest.raises(CheckError), django_capture_on_commit_callbacks(execute=True):
        notify_fixes(dossier=submitted, by=officer, now=IN_WINDOW + timedelta(hours=2))

    assert (FixListNotice.objects.count(), len(mail.outbox)) == (1, 1)


def test_decide_dossier_recevable_records_and_emails_once(
    submitted, officer, django_capture_on_commit_callbacks
):
    accept_all(submitted, officer)

    with django_capture_on_commit_callbacks(execute=True):
        check = decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")
        again = decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")

    assert (check.pk, again.pk, DossierCheck.objects.count()) == (submitted.pk, submitted.pk, 1)
    assert actions(submitted).count("verification.dossier.decided") == 1
    assert [message.subject for message in mail.outbox] == [
        f"[IMT Mines Albi-Carmaux] Dossier {submitted.reference} : recevable, transmis à la "
        "commission"
    ]


def test_decide_dossier_recevable_needs_every_document_valid(submitted, officer):
    with pytest.raises(CheckError) as refused:
        decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")

    assert str(refused.value.message).startswith(
        "Pour déclarer le dossier recevable, chaque pièce doit être valide."
    )
    assert DossierCheck.objects.count() == 0


def test_decide_dossier_waits_while_the_candidate_may_still_replace(submitted, officer):
    refuse(submitted, "cv", officer)

    with pytest.raises(CheckError) as refused:
        decide_dossier(
            dossier=submitted, by=officer, now=IN_WINDOW, verdict="refused", reason="Pièces."
        )
    after = decide_dossier(
        dossier=submitted, by=officer, now=UNTIL, verdict="refused", reason="CV jamais remplacé."
    )

    assert str(refused.value.message) == (
        "Le candidat peut encore remplacer : Curriculum vitae. Attendez la date limite ou sa "
        "nouvelle pièce avant de décider."
    )
    assert (after.verdict, after.reason) == ("refused", "CV jamais remplacé.")


def test_decide_dossier_refused_needs_its_reason(submitted, officer):
    with pytest.raises(CheckError) as refused:
        decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="refused", reason=" ")

    assert str(refused.value.message) == (
        "Indiquez le motif du refus de pré-admissibilité : le candidat le lira. "
        "Rien n'a été enregistré."
    )
    assert DossierCheck.objects.count() == 0


def test_decide_dossier_by_a_second_officer_says_who_decided(submitted, officer, accounts_by_role):
    accept_all(submitted, officer)
    decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")

    with pytest.raises(CheckError) as refused:
        decide_dossier(
            dossier=submitted,
            by=accounts_by_role["platform_admin"],
            now=IN_WINDOW,
            verdict="refused",
            reason="Incomplet.",
        )

    assert str(refused.value.message) == (
        "Ce dossier a déjà été décidé (Recevable, transmis à l'école) par "
        "central_officer@example.org le 1er mars 2021 à 10 h : rien n'a été enregistré."
    )
    assert DossierCheck.objects.get().verdict == "recevable"
    assert actions(submitted).count("verification.dossier.decided") == 1


def test_no_verdict_after_the_admissibility_results(submitted, officer, reference_campaign):
    published = reference_campaign.params().calendar.admissibility_results_at

    with pytest.raises(CheckError) as refused:
        decide_dossier(
            dossier=submitted, by=officer, now=published, verdict="refused", reason="Incomplet."
        )

    assert str(refused.value.message) == (
        "Les résultats d'admissibilité sont publiés : la vérification administrative est "
        "close, rien n'a été enregistré."
    )


def test_a_draft_cannot_be_checked(reference_campaign, officer, accounts_by_role):
    from tests.dossiers.helpers import complete_dossier

    draft = complete_dossier(accounts_by_role["candidate"], reference_campaign)

    with pytest.raises(CheckError):
        review_document(
            document=draft.documents.get(code="cv"), by=officer, now=IN_WINDOW, verdict="valid"
        )


def test_verdict_email_is_in_the_candidates_language(
    reference_campaign, officer, django_capture_on_commit_callbacks
):
    from admissions.accounts.models import User
    from admissions.dossiers.services import submit_dossier
    from tests.dossiers.helpers import complete_dossier, received_recommendations

    candidate = User.objects.create_user("en@example.org", "a-long-password-1", language="en")
    dossier = complete_dossier(candidate, reference_campaign)
    received_recommendations(dossier)
    submit_dossier(dossier=dossier, by=candidate, now=IN_WINDOW, language="en")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decide_dossier(
            dossier=dossier,
            by=officer,
            now=IN_WINDOW,
            verdict="refused",
            reason="Missing transcripts.",
        )

    email = OutboundEmail.objects.get(key=f"check-verdict:{dossier.pk}")
    assert (email.language, mail.outbox[0].subject) == (
        "en",
        f"[IMT Mines Albi-Carmaux] Application {dossier.reference}: pre-admissibility refused",
    )


def test_next_dossier_to_check_follows_the_queue_and_skips_decided_ones(
    submitted, officer, reference_campaign
):
    second = another_submitted(reference_campaign, "b@example.org", IN_WINDOW + timedelta(hours=1))
    third = another_submitted(reference_campaign, "c@example.org", IN_WINDOW + timedelta(hours=2))
    accept_all(second, officer)
    decide_dossier(dossier=second, by=officer, now=IN_WINDOW, verdict="recevable")

    assert [
        next_dossier_to_check(officer, now=IN_WINDOW),
        next_dossier_to_check(officer, after=submitted, now=IN_WINDOW),
        next_dossier_to_check(officer, after=third, now=IN_WINDOW),
    ] == [submitted, third, submitted]


def test_next_dossier_to_check_skips_one_waiting_for_the_candidates_new_file_until_its_date(
    submitted, officer, reference_campaign
):
    """No verdict can be given while the candidate may still replace a refused item (R3.8)."""
    second = another_submitted(reference_campaign, "b@example.org", IN_WINDOW + timedelta(hours=1))
    refuse(submitted, "cv", officer, until=UNTIL)

    assert [
        next_dossier_to_check(officer, now=IN_WINDOW),
        next_dossier_to_check(officer, after=second, now=IN_WINDOW),
        next_dossier_to_check(officer, now=UNTIL),  # the date passed: decide without it
    ] == [second, None, submitted]


def test_next_dossier_to_check_is_scoped_to_the_officers_schools(submitted, accounts_by_role):
    from admissions.accounts.models import RoleGrant, User
    from admissions.campaigns.models import School

    elsewhere = School.objects.create(code="ailleurs", name="Ailleurs")
    outsider = User.objects.create_user("outsider@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=outsider, role="central_officer", school=elsewhere)

    assert next_dossier_to_check(outsider, now=IN_WINDOW) is None
