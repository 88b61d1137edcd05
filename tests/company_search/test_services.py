"""The company-search help's services (R7.3): sessions set by staff, invitations, the
candidate's registration and phone advice, the presentation file; refusals and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.audit.models import AuditEntry
from admissions.companies.models import Exclusion
from admissions.company_search import services
from admissions.company_search.models import (
    PhoneAdviceRequest,
    PresentationFile,
    SessionInvitation,
    SessionRegistration,
    TrainingSession,
)
from admissions.company_search.services import SearchHelpError
from admissions.core.demo import demo_pdf, demo_photo
from admissions.notifications.models import OutboundEmail
from admissions.rules.company_search import PRESENTATION_MAX_BYTES
from tests.companies.conftest import FROZEN_AT, JUNE, confirm, declare, make_dossier
from tests.documents.corpus import encrypted_pdf

from .conftest import SESSION_AT, details, new_session

pytestmark = pytest.mark.django_db

Kind = OutboundEmail.Kind


def actions(target) -> list[str]:
    """The audit trail's actions of this app on ``target``, in order."""
    return list(
        AuditEntry.objects.filter(
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            action__startswith="company_search.",
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Sessions -------------------------------------------------------------------------------


def test_an_officer_sets_a_session_with_its_audit_entry(campaign, officer):
    session = new_session(campaign, officer)

    assert (session.capacity, session.registered, session.state) == (2, 0, "scheduled")
    assert actions(session) == ["company_search.session.created"]


def test_the_central_service_sets_sessions_of_every_school(campaign, central):
    assert new_session(campaign, central).created_by == central


def test_another_schools_officer_cannot_set_a_session(campaign, other_officer):
    with pytest.raises(SearchHelpError, match="ne gérez pas"):
        new_session(campaign, other_officer)

    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"starts_at": JUNE - timedelta(days=1)}, "Cette date est passée"),
        ({"capacity": 0}, "au moins une place"),
        ({"ends_at": SESSION_AT - timedelta(hours=1)}, "La fin de la session doit suivre"),
        ({"remote": True, "link": ""}, "lien de connexion"),
        ({"place": ""}, "Indiquez le lieu"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_is_saved(campaign, officer, changes, message):
    with pytest.raises(SearchHelpError, match=message):
        new_session(campaign, officer, **changes)

    assert not TrainingSession.objects.exists()


def test_a_remote_session_keeps_its_link_and_no_place(campaign, officer):
    session = new_session(
        campaign, officer, remote=True, link="https://visio.example.org/x", place="Amphi"
    )

    assert (session.place, session.link) == ("", "https://visio.example.org/x")


def test_the_capacity_never_goes_below_the_registered(campaign, officer, session):
    for email in ("a@example.org", "b@example.org"):
        services.register(
            dossier=make_dossier(campaign, email), session_id=session.pk, by=None, now=JUNE
        )

    with pytest.raises(SearchHelpError, match="2 candidats sont déjà inscrits"):
        services.save_session(
            campaign=campaign,
            details=services.SessionDetails(
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                remote=False,
                place="Amphi",
                link="",
                capacity=1,
                notes="",
            ),
            by=officer,
            now=JUNE,
            session=session,
        )
    session.refresh_from_db()
    assert session.capacity == 2


# --- Invitations ----------------------------------------------------------------------------


def test_invite_reaches_the_admitted_without_a_company_once(campaign, officer, session):
    waiting = make_dossier(campaign, "waiting@example.org")
    english = make_dossier(campaign, "english@example.org")
    english.candidate.language = "en"
    english.candidate.save()
    make_dossier(campaign, "below@example.org", admitted=False)
    placed = make_dossier(campaign, "placed@example.org")
    confirm(declare(placed), JUNE)
    excluded = make_dossier(campaign, "gone@example.org")
    services_withdraw(excluded, officer)

    first = services.invite_without_company(session=session, by=officer, now=JUNE)
    again = services.invite_without_company(session=session, by=officer, now=JUNE)

    invited = set(SessionInvitation.objects.values_list("dossier__candidate__email", flat=True))
    assert (first, again) == (2, 0)
    assert invited == {"waiting@example.org", "english@example.org"}
    emails = OutboundEmail.objects.filter(kind=Kind.TRAINING_INVITATION)
    assert sorted(emails.values_list("recipient", "language")) == [
        ("english@example.org", "en"),
        ("waiting@example.org", "fr"),
    ]
    assert actions(session)[-2:] == ["company_search.session.invited"] * 2
    assert waiting.pk in set(SessionInvitation.objects.values_list("dossier", flat=True))


def services_withdraw(dossier, officer):
    Exclusion.objects.create(
        dossier=dossier, kind=Exclusion.Kind.WITHDRAWAL, at=JUNE, recorded_by=officer
    )


def test_a_candidate_admitted_later_is_invited_by_the_next_run_only(campaign, officer, session):
    make_dossier(campaign, "first@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)
    make_dossier(campaign, "later@example.org")

    count = services.invite_without_company(session=session, by=officer, now=JUNE)

    assert count == 1
    assert OutboundEmail.objects.filter(kind=Kind.TRAINING_INVITATION).count() == 2


def test_nobody_is_invited_to_a_cancelled_session(campaign, officer, session):
    make_dossier(campaign, "first@example.org")
    services.cancel_session(session=session, reason="Salle indisponible", by=officer, now=JUNE)

    with pytest.raises(SearchHelpError, match="annulée"):
        services.invite_without_company(session=session, by=officer, now=JUNE)

    assert not SessionInvitation.objects.exists()


# --- Registration ---------------------------------------------------------------------------


def test_a_candidate_registers_and_unregisters(campaign, session):
    dossier = make_dossier(campaign, "c@example.org")

    services.register(dossier=dossier, session_id=session.pk, by=dossier.candidate, now=JUNE)
    session.refresh_from_db()
    taken = session.registered
    services.unregister(dossier=dossier, session_id=session.pk, by=dossier.candidate, now=JUNE)
    session.refresh_from_db()

    assert (taken, session.registered) == (1, 0)
    assert not SessionRegistration.objects.exists()
    assert actions(dossier) == ["company_search.registered", "company_search.unregistered"]


def test_a_full_session_says_so_and_takes_nobody_more(campaign, session):
    for email in ("a@example.org", "b@example.org"):
        services.register(
            dossier=make_dossier(campaign, email), session_id=session.pk, by=None, now=JUNE
        )
    late = make_dossier(campaign, "late@example.org")

    with pytest.raises(SearchHelpError, match="complète"):
        services.register(dossier=late, session_id=session.pk, by=None, now=JUNE)

    session.refresh_from_db()
    assert (session.registered, SessionRegistration.objects.count()) == (2, 2)


def test_a_double_click_registers_once(campaign, session):
    dossier = make_dossier(campaign, "c@example.org")
    services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)

    with pytest.raises(SearchHelpError, match="déjà inscrit"):
        services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)

    session.refresh_from_db()
    assert session.registered == 1


def test_one_registration_at_a_time(campaign, officer, session):
    later = SESSION_AT + timedelta(days=7)
    other = new_session(campaign, officer, starts_at=later, ends_at=later + timedelta(hours=2))
    dossier = make_dossier(campaign, "c@example.org")
    services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)

    with pytest.raises(SearchHelpError, match="désinscrivez-vous"):
        services.register(dossier=dossier, session_id=other.pk, by=None, now=JUNE)

    other.refresh_from_db()
    assert other.registered == 0


@pytest.mark.parametrize(
    "case, message",
    [
        ("not_admitted", "réservée aux candidats admis"),
        ("confirmed", "a confirmé votre contrat"),
        ("frozen", "liste définitive est arrêtée"),
        ("cancelled", "annulée"),
        ("started", "déjà commencé"),
    ],
)
def test_registration_is_refused_with_a_clear_message(campaign, officer, session, case, message):
    dossier = make_dossier(campaign, "c@example.org", admitted=case != "not_admitted")
    now = JUNE
    if case == "confirmed":
        confirm(declare(dossier), JUNE)
    elif case == "frozen":
        now = FROZEN_AT
    elif case == "cancelled":
        services.cancel_session(session=session, reason="Grève", by=officer, now=JUNE)
    elif case == "started":
        now = SESSION_AT + timedelta(minutes=5)

    with pytest.raises(SearchHelpError, match=message):
        services.register(dossier=dossier, session_id=session.pk, by=None, now=now)

    assert not SessionRegistration.objects.exists()


def test_a_session_of_another_campaign_is_not_offered(campaign, session, other_officer):
    from tests.schools import load_school_campaign

    other = load_school_campaign("ecole-b", "ecole-b-2021")
    dossier = make_dossier(other, "b@example.org")

    with pytest.raises(SearchHelpError, match="pas proposée"):
        services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)


# --- Cancellation ---------------------------------------------------------------------------


def test_cancelling_tells_the_invited_and_the_registered_once_each(campaign, officer, session):
    invited = make_dossier(campaign, "invited@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)
    services.register(dossier=invited, session_id=session.pk, by=None, now=JUNE)
    registered_only = make_dossier(campaign, "later@example.org")  # admitted after the invite
    services.register(dossier=registered_only, session_id=session.pk, by=None, now=JUNE)

    services.cancel_session(session=session, reason="Intervenant malade", by=officer, now=JUNE)

    told = OutboundEmail.objects.filter(kind=Kind.TRAINING_CANCELLED)
    assert sorted(told.values_list("recipient", flat=True)) == [
        "invited@example.org",
        "later@example.org",
    ]
    session.refresh_from_db()
    assert (session.state, session.cancel_reason) == ("cancelled", "Intervenant malade")
    assert actions(session)[-1] == "company_search.session.cancelled"


def test_cancelling_needs_a_reason_and_happens_once(campaign, officer, session):
    with pytest.raises(SearchHelpError, match="motif"):
        services.cancel_session(session=session, reason=" ", by=officer, now=JUNE)
    services.cancel_session(session=session, reason="Salle", by=officer, now=JUNE)

    with pytest.raises(SearchHelpError, match="déjà annulée"):
        services.cancel_session(session=session, reason="Salle", by=officer, now=JUNE)


def test_a_cancelled_session_cannot_be_changed(campaign, officer, session):
    services.cancel_session(session=session, reason="Salle", by=officer, now=JUNE)

    with pytest.raises(SearchHelpError, match="annulée"):
        services.save_session(
            campaign=campaign,
            details=services.SessionDetails(
                session.starts_at, session.ends_at, False, "Amphi", "", 5, ""
            ),
            by=officer,
            now=JUNE,
            session=session,
        )


# --- Changes told to the invited and the registered -----------------------------------------


def edit(session, officer, **changes):
    """Save the fixture's session details with ``changes``, as the staff form does."""
    return services.save_session(
        campaign=session.campaign, details=details(**changes), by=officer, now=JUNE, session=session
    )


@pytest.fixture
def invited_and_registered(campaign, officer, session):
    """Two invited candidates (one English) of whom one registered, and one registered only."""
    invited = make_dossier(campaign, "invited@example.org")
    english = make_dossier(campaign, "english@example.org")
    english.candidate.language = "en"
    english.candidate.save(update_fields=["language"])
    services.invite_without_company(session=session, by=officer, now=JUNE)
    services.register(dossier=invited, session_id=session.pk, by=None, now=JUNE)
    registered_only = make_dossier(campaign, "later@example.org")  # admitted after the invite
    services.register(dossier=registered_only, session_id=session.pk, by=None, now=JUNE)


def told_of_changes() -> list[tuple[str, str]]:
    return sorted(
        OutboundEmail.objects.filter(kind=Kind.TRAINING_CHANGED).values_list(
            "recipient", "language"
        )
    )


@pytest.mark.parametrize(
    "changes",
    [
        {
            "starts_at": SESSION_AT + timedelta(days=1),
            "ends_at": SESSION_AT + timedelta(days=1, hours=3),
        },
        {"ends_at": SESSION_AT + timedelta(hours=2)},
        {"place": "Campus de Jarlard, amphi 2"},
        {"remote": True, "link": "https://visio.example.org/x"},
    ],
    ids=["date", "end", "place", "remote"],
)
def test_a_change_candidates_rely_on_tells_each_invited_and_registered_once(
    officer, session, invited_and_registered, changes
):
    edit(session, officer, **changes)

    assert told_of_changes() == [
        ("english@example.org", "en"),
        ("invited@example.org", "fr"),
        ("later@example.org", "fr"),
    ]
    entry = AuditEntry.objects.for_object(session).latest("pk")
    assert (entry.action, entry.data["told"]) == ("company_search.session.changed", 3)


def test_a_remote_sessions_new_link_is_told(officer, session, invited_and_registered):
    edit(session, officer, remote=True, link="https://visio.example.org/x")

    edit(session, officer, remote=True, link="https://visio.example.org/y")

    assert len(told_of_changes()) == 6


@pytest.mark.parametrize(
    "changes",
    [{"notes": "Venez avec dix CV."}, {"capacity": 5}, {}],
    ids=["notes", "seats", "same"],
)
def test_a_change_of_notes_or_seats_or_nothing_tells_nobody(
    officer, session, invited_and_registered, changes
):
    edit(session, officer, **changes)

    assert told_of_changes() == []
    entry = AuditEntry.objects.for_object(session).latest("pk")
    assert (entry.action, entry.data["told"]) == ("company_search.session.changed", 0)


def test_the_same_edit_twice_tells_once(officer, session, invited_and_registered):
    place = {"place": "Campus de Jarlard, amphi 2"}

    edit(session, officer, **place)
    edit(session, officer, **place)

    assert len(told_of_changes()) == 3


def test_each_new_change_is_told_even_back_to_an_earlier_value(
    officer, session, invited_and_registered
):
    for place in ("Amphi 2", "Campus de Jarlard, amphi 1", "Amphi 2"):
        edit(session, officer, place=place)

    assert len(told_of_changes()) == 9


# --- Phone advice ---------------------------------------------------------------------------


def test_phone_advice_is_asked_changed_and_marked_done(campaign, officer):
    dossier = make_dossier(campaign, "c@example.org")

    services.request_phone_advice(
        dossier=dossier, phone="06 00 00 00 01", preferred_times="soir", by=None, now=JUNE
    )
    services.request_phone_advice(
        dossier=dossier, phone="06 00 00 00 02", preferred_times="matin", by=None, now=JUNE
    )
    row = PhoneAdviceRequest.objects.get()
    services.mark_phone_advice_done(request=row, note="Appelé", by=officer, now=JUNE)

    row.refresh_from_db()
    assert (row.phone, row.preferred_times, row.done_by, row.done_note) == (
        "06 00 00 00 02",
        "matin",
        officer,
        "Appelé",
    )
    assert actions(dossier) == [
        "company_search.phone_requested",
        "company_search.phone_changed",
        "company_search.phone_done",
    ]
    with pytest.raises(SearchHelpError, match="déjà marquée"):
        services.mark_phone_advice_done(request=row, note="", by=officer, now=JUNE)
    with pytest.raises(SearchHelpError, match="déjà appelé"):
        services.request_phone_advice(
            dossier=dossier, phone="06", preferred_times="", by=None, now=JUNE
        )


def test_phone_advice_is_refused_once_a_company_confirmed(campaign):
    dossier = make_dossier(campaign, "c@example.org")
    confirm(declare(dossier), JUNE)

    with pytest.raises(SearchHelpError, match="a confirmé votre contrat"):
        services.request_phone_advice(
            dossier=dossier, phone="06 00 00 00 01", preferred_times="", by=None, now=JUNE
        )

    assert not PhoneAdviceRequest.objects.exists()


def test_another_schools_officer_cannot_mark_a_request_done(campaign, other_officer):
    dossier = make_dossier(campaign, "c@example.org")
    row = services.request_phone_advice(
        dossier=dossier, phone="06 00 00 00 01", preferred_times="", by=None, now=JUNE
    )

    with pytest.raises(SearchHelpError, match="ne gérez pas"):
        services.mark_phone_advice_done(request=row, note="", by=other_officer, now=JUNE)


# --- The presentation file ------------------------------------------------------------------


def upload(data: bytes, name: str = "presentation.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_readable_pdf_is_stored_and_replaces_the_previous(campaign, officer):
    first = services.upload_presentation_file(
        campaign=campaign, upload=upload(demo_pdf("Un")), by=officer, now=JUNE
    )
    old_name = first.file.name
    services.upload_presentation_file(
        campaign=campaign, upload=upload(demo_pdf("Deux")), by=officer, now=JUNE
    )

    row = PresentationFile.objects.get()
    assert (row.pages, row.file.name != old_name) == (1, True)
    assert row.file.read().startswith(b"%PDF-")
    assert actions(row) == ["company_search.presentation_uploaded"] * 2


@pytest.mark.parametrize(
    "data, message",
    [
        (demo_photo(), "PDF"),
        (encrypted_pdf("secret"), "mot de passe"),
        (b"%PDF-1.4 not really", "illisible"),
        (b"", "vide"),
        (b"%PDF-" + b"0" * PRESENTATION_MAX_BYTES, "10 Mo"),
    ],
    ids=["image", "encrypted", "unreadable", "empty", "too-large"],
)
def test_a_refused_file_says_why_and_changes_nothing(campaign, officer, data, message):
    with pytest.raises(SearchHelpError, match=message) as refused:
        services.upload_presentation_file(
            campaign=campaign, upload=upload(data), by=officer, now=JUNE
        )

    assert refused.value.field == "file"
    assert not PresentationFile.objects.exists()


def test_another_schools_officer_cannot_upload(campaign, other_officer):
    with pytest.raises(SearchHelpError):
        services.upload_presentation_file(
            campaign=campaign, upload=upload(demo_pdf("x")), by=other_officer, now=JUNE
        )


def test_a_session_attended_leaves_the_candidate_free_to_register_again(campaign, officer):
    first = new_session(campaign, officer)
    later = SESSION_AT + timedelta(days=7)
    second = new_session(campaign, officer, starts_at=later, ends_at=later + timedelta(hours=2))
    dossier = make_dossier(campaign, "c@example.org")
    services.register(dossier=dossier, session_id=first.pk, by=None, now=JUNE)

    after_the_first = SESSION_AT + timedelta(days=1)
    services.register(dossier=dossier, session_id=second.pk, by=None, now=after_the_first)

    assert SessionRegistration.objects.filter(dossier=dossier).count() == 2
