"""The pre-entry checklist's services (R7.4) on real records: uploads judged by content,
staff's verdicts, the JDC/JAPD rule of the rules core, the conditional admission, MidiSup's
validation, the reminder sent once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.audit.models import AuditEntry
from admissions.companies.models import ListPlace
from admissions.companies.services import withdraw
from admissions.notifications.models import OutboundEmail
from admissions.preentry import emails, selectors
from admissions.preentry.models import ContractValidation, PreEntryDocument, PreEntryReminder
from admissions.preentry.services import (
    REMINDER_COOLDOWN,
    PreEntryError,
    record_contract_validation,
    remind_missing,
    review_document,
    upload_document,
)

from .conftest import SEPTEMBER, admitted, make_dossier, pdf

pytestmark = pytest.mark.django_db

Kind = PreEntryDocument.Kind
Review = PreEntryDocument.Review


def send(dossier, kind="diploma", upload=None, params=None, now=SEPTEMBER):
    return upload_document(
        dossier=dossier,
        kind=kind,
        upload=upload or pdf(),
        by=dossier.candidate,
        now=now,
        params=params or dossier.campaign.params(),
    )


def judge(document, officer, accept=True, reason="", seen=None, version=None, now=SEPTEMBER):
    return review_document(
        dossier=document.dossier,
        kind=document.kind,
        accept=accept,
        reason=reason,
        version=version or document.version,
        seen=seen or document.review,
        by=officer,
        now=now,
    )


# --- Who has a checklist ---------------------------------------------------------------------


def test_the_checklist_applies_to_candidates_admitted_for_good_only(campaign):
    first = admitted(campaign, "first@example.org")
    second = admitted(campaign, "second@example.org")
    waiting = admitted(campaign, "third@example.org")  # 2 seats: third waits
    academic_only = make_dossier(campaign, "nocompany@example.org")

    assert ListPlace.objects.get(dossier=waiting).standing == ListPlace.Standing.WAITING
    assert [selectors.is_admitted_for_good(d) for d in (first, second, waiting, academic_only)] == [
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(PreEntryError):
        send(waiting)
    assert not PreEntryDocument.objects.filter(dossier=waiting).exists()


def test_a_candidate_moving_up_from_the_waiting_list_gets_the_checklist(campaign):
    first = admitted(campaign, "first@example.org")
    admitted(campaign, "second@example.org")
    waiting = admitted(campaign, "third@example.org")

    withdraw(dossier=first, by=first.candidate, now=SEPTEMBER)

    assert selectors.is_admitted_for_good(waiting) is True
    assert send(waiting).review == Review.UNCHECKED


# --- The JDC/JAPD rule, through the rules core ------------------------------------------------


def test_jdc_is_asked_of_a_french_national_under_26_at_training_start(campaign, params):
    dossier = admitted(campaign, "young@example.org", nationality="FR", birth_date=date(2000, 5, 1))

    checklist = selectors.checklist_of(dossier, params)

    assert checklist.jdc_asked is True
    assert checklist.missing == ("diploma", "jdc", "midisup")


@pytest.mark.parametrize(
    "nationality,birth_date",
    [("FR", date(1995, 10, 4)), ("MA", date(2000, 5, 1))],  # 26 on the first day; not French
)
def test_jdc_is_not_asked_otherwise_and_cannot_be_sent(campaign, params, nationality, birth_date):
    dossier = admitted(campaign, "x@example.org", nationality=nationality, birth_date=birth_date)

    checklist = selectors.checklist_of(dossier, params)

    assert (checklist.jdc_asked, checklist.missing) == (False, ("diploma", "midisup"))
    with pytest.raises(PreEntryError, match="JDC/JAPD ne vous est pas demandé"):
        send(dossier, kind="jdc")


# --- Uploads ---------------------------------------------------------------------------------


def test_an_upload_is_judged_by_content_and_keeps_the_previous_file(campaign, params):
    dossier = admitted(campaign, "ana@example.org")
    first = send(dossier)
    fake = SimpleUploadedFile(
        "diplome.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )

    with pytest.raises(PreEntryError) as refused:
        send(dossier, upload=fake)

    document = PreEntryDocument.objects.get(dossier=dossier, kind="diploma")
    assert refused.value.field == "file"
    assert (document.version, document.file.name) == (1, first.file.name)
    assert document.format == "pdf" and document.original_name == "diplome.pdf"


def test_a_file_over_2_mo_is_refused(campaign):
    dossier = admitted(campaign, "big@example.org")
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "application/pdf")

    with pytest.raises(PreEntryError, match="2 Mo"):
        send(dossier, upload=big)
    assert not PreEntryDocument.objects.exists()


# --- Verdicts and the conditional admission ----------------------------------------------------


def test_admission_stays_conditional_until_staff_accept_the_diploma(campaign, officer, params):
    dossier = admitted(campaign, "ana@example.org")
    conditional_before = selectors.checklist_of(dossier, params).conditional
    document = send(dossier)
    conditional_sent = selectors.checklist_of(dossier, params).conditional

    judge(document, officer, accept=True)

    assert (conditional_before, conditional_sent) == (True, True)
    assert selectors.checklist_of(dossier, params).conditional is False
    assert selectors.conditional_references(campaign, [dossier.reference]) == set()
    assert AuditEntry.objects.filter(action="preentry.document.accepted").count() == 1


def test_a_refusal_needs_a_reason_tells_the_candidate_and_allows_a_replacement(
    campaign, officer, params
):
    dossier = admitted(campaign, "ana@example.org")
    document = send(dossier)
    with pytest.raises(PreEntryError) as no_reason:
        judge(document, officer, accept=False, reason="  ")

    judge(document, officer, accept=False, reason="Illisible")
    replaced = send(dossier)

    assert no_reason.value.field == "reason"
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.PREENTRY_REFUSED)
    assert email.recipient == "ana@example.org"
    assert (replaced.version, replaced.review, replaced.refusal_reason) == (2, Review.UNCHECKED, "")
    assert selectors.checklist_of(dossier, params).conditional is True
    actions = list(
        AuditEntry.objects.filter(action__startswith="preentry.").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        ["preentry.document.uploaded", "preentry.document.refused", "preentry.document.uploaded"]
    )


def test_an_accepted_file_cannot_be_replaced(campaign, officer):
    dossier = admitted(campaign, "ana@example.org")
    judge(send(dossier), officer)

    with pytest.raises(PreEntryError, match="déjà été acceptée"):
        send(dossier)


def test_a_verdict_on_a_file_replaced_since_is_refused_as_stale(campaign, officer):
    dossier = admitted(campaign, "ana@example.org")
    seen = send(dossier)
    send(dossier)  # the candidate replaced it while the officer looked at version 1

    with pytest.raises(PreEntryError, match="autre fichier"):
        judge(seen, officer, accept=True)
    assert PreEntryDocument.objects.get(dossier=dossier).review == Review.UNCHECKED


def test_the_same_verdict_twice_records_it_once(campaign, officer):
    dossier = admitted(campaign, "ana@example.org")
    document = send(dossier)

    first = judge(document, officer, accept=True, seen="unchecked")
    second = judge(document, officer, accept=True, seen="unchecked")

    assert (first.changed, second.changed) == (True, False)
    assert AuditEntry.objects.filter(action="preentry.document.accepted").count() == 1


def test_a_second_officers_stale_verdict_names_the_first(campaign, officer):
    dossier = admitted(campaign, "ana@example.org")
    document = send(dossier)
    judge(document, officer, accept=True, seen="unchecked")

    with pytest.raises(PreEntryError, match="a déjà jugé"):
        judge(document, officer, accept=False, reason="Illisible", seen="unchecked")
    assert PreEntryDocument.objects.get(dossier=dossier).review == Review.VALID


def test_an_officer_of_another_school_cannot_judge(campaign, other_officer):
    dossier = admitted(campaign, "ana@example.org")
    document = send(dossier)

    with pytest.raises(PreEntryError):
        judge(document, other_officer)
    assert PreEntryDocument.objects.get(dossier=dossier).review == Review.UNCHECKED


# --- MidiSup ---------------------------------------------------------------------------------


def test_midisup_validation_is_recorded_with_who_and_when_then_corrected(campaign, officer, params):
    dossier = admitted(campaign, "ana@example.org")

    record_contract_validation(
        dossier=dossier,
        validated_on=date(2021, 8, 30),
        note="Courriel MidiSup",
        evidence=pdf(),
        by=officer,
        now=SEPTEMBER,
        params=params,
    )
    again = record_contract_validation(
        dossier=dossier,
        validated_on=date(2021, 8, 30),
        note="Courriel MidiSup",
        evidence=None,
        by=officer,
        now=SEPTEMBER,
        params=params,
    )
    record_contract_validation(
        dossier=dossier,
        validated_on=date(2021, 8, 31),
        note="",
        evidence=None,
        by=officer,
        now=SEPTEMBER + timedelta(hours=1),
        params=params,
    )

    validation = ContractValidation.objects.get(dossier=dossier)
    assert (validation.validated_on, validation.recorded_by, bool(validation.evidence)) == (
        date(2021, 8, 31),
        officer,
        True,
    )
    assert again.validated_on == date(2021, 8, 30)
    assert AuditEntry.objects.filter(action="preentry.contract.validated").count() == 2
    assert "midisup" not in selectors.checklist_of(dossier, params).missing


def test_midisup_validation_in_the_future_or_for_someone_not_admitted_is_refused(
    campaign, officer, params
):
    dossier = admitted(campaign, "ana@example.org")
    academic_only = make_dossier(campaign, "nocompany@example.org")

    with pytest.raises(PreEntryError) as future:
        record_contract_validation(
            dossier=dossier,
            validated_on=date(2021, 9, 2),
            note="",
            evidence=None,
            by=officer,
            now=SEPTEMBER,
            params=params,
        )
    with pytest.raises(PreEntryError):
        record_contract_validation(
            dossier=academic_only,
            validated_on=date(2021, 8, 2),
            note="",
            evidence=None,
            by=officer,
            now=SEPTEMBER,
            params=params,
        )
    assert future.value.field == "validated_on"
    assert not ContractValidation.objects.exists()


# --- The reminder ----------------------------------------------------------------------------


def test_the_reminder_emails_each_candidate_missing_something_once_in_their_language(
    campaign, officer, params
):
    complete = admitted(campaign, "done@example.org", nationality="MA")
    judge(send(complete), officer)
    record_contract_validation(
        dossier=complete,
        validated_on=date(2021, 8, 30),
        note="",
        evidence=None,
        by=officer,
        now=SEPTEMBER,
        params=params,
    )
    lacking = admitted(campaign, "lacking@example.org")
    lacking.candidate.language = "en"
    lacking.candidate.save()

    reminder = remind_missing(campaign=campaign, by=officer, now=SEPTEMBER)
    with pytest.raises(PreEntryError, match="déjà été envoyée"):
        remind_missing(campaign=campaign, by=officer, now=SEPTEMBER + timedelta(seconds=1))

    emails = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PREENTRY_REMINDER)
    assert [(e.recipient, e.language) for e in emails] == [("lacking@example.org", "en")]
    assert (reminder.recipients, PreEntryReminder.objects.count()) == (1, 1)
    assert AuditEntry.objects.filter(action="preentry.reminder.sent").count() == 1


def test_the_reminder_lists_what_is_missing_when_sent(campaign, officer):
    dossier = admitted(campaign, "ana@example.org")
    judge(send(dossier), officer, accept=False, reason="Illisible")

    remind_missing(campaign=campaign, by=officer, now=SEPTEMBER)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.PREENTRY_REMINDER)
    message = emails.compose_reminder(email)

    assert message is not None
    body = message.body
    assert "la copie du diplôme requis" in body and "Illisible" in body
    assert "JDC/JAPD" in body and "MidiSup" in body
    assert "reste conditionnelle" in body


def test_a_reminder_after_the_cooldown_goes_out_again(campaign, officer):
    admitted(campaign, "ana@example.org")
    remind_missing(campaign=campaign, by=officer, now=SEPTEMBER)

    remind_missing(campaign=campaign, by=officer, now=SEPTEMBER + REMINDER_COOLDOWN)

    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PREENTRY_REMINDER).count() == 2


def test_no_reminder_when_nobody_misses_anything(campaign, officer):
    with pytest.raises(PreEntryError, match="Aucun candidat"):
        remind_missing(campaign=campaign, by=officer, now=SEPTEMBER)
    assert not PreEntryReminder.objects.exists()


def test_an_officer_of_another_school_cannot_remind(campaign, other_officer):
    admitted(campaign, "ana@example.org")

    with pytest.raises(PreEntryError):
        remind_missing(campaign=campaign, by=other_officer, now=SEPTEMBER)
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PREENTRY_REMINDER).exists()


def test_the_reminder_email_is_skipped_when_everything_arrived_before_sending(
    campaign, officer, params
):
    dossier = admitted(campaign, "ana@example.org", nationality="MA")
    document = send(dossier)
    remind_missing(campaign=campaign, by=officer, now=SEPTEMBER)
    judge(document, officer)
    record_contract_validation(
        dossier=dossier,
        validated_on=date(2021, 8, 30),
        note="",
        evidence=None,
        by=officer,
        now=SEPTEMBER,
        params=params,
    )

    message = emails.compose_reminder(
        OutboundEmail.objects.get(kind=OutboundEmail.Kind.PREENTRY_REMINDER)
    )

    assert message is None
