"""The company-search help's pages (R7.3, R8.3): the candidate's company page, the phone
advice form, the staff pages and exports, the public presentation file; both languages, bad
input, school scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.companies import links
from admissions.company_search import services
from admissions.company_search.models import (
    PhoneAdviceRequest,
    PresentationFile,
    SessionInvitation,
    SessionRegistration,
    TrainingSession,
)
from admissions.core.demo import demo_pdf, demo_photo
from admissions.notifications.models import OutboundEmail
from tests.companies.conftest import JUNE, confirm, declare, make_dossier
from tests.helpers import page_text

from .conftest import SESSION_AT, new_session

pytestmark = pytest.mark.django_db

PAGE = "/dossier/entreprise/"
STAFF = "/gestion/recherche-entreprise/"
SESSION_FORM = {
    "date": "2021-06-20",
    "starts_at": "14:00",
    "ends_at": "17:00",
    "place": "Campus de Jarlard, amphi 2",
    "capacity": "25",
    "notes": "",
}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


# --- The candidate's company page -----------------------------------------------------------


def test_the_candidate_sees_the_sessions_and_registers(
    client, campaign, officer, session, clock_at
):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "c@example.org")
    client.force_login(dossier.candidate)

    before = page_text(client.get(PAGE))
    posted = client.post(f"/dossier/entreprise/formation/{session.pk}/inscription")
    after = page_text(client.get(PAGE))

    assert "Je m'inscris" in before and "2 places restantes" in before
    assert "15 juin 2021 à 14 h – 17 h — Campus de Jarlard, amphi 1" in before
    assert posted.status_code == 302
    assert "Je me désinscris" in after and "inscrit(e)" in after
    assert SessionRegistration.objects.get().dossier == dossier


def test_a_full_session_says_so_on_the_page_and_when_posted(
    client, campaign, officer, session, clock_at
):
    clock_at(JUNE)
    for email in ("a@example.org", "b@example.org"):
        services.register(
            dossier=make_dossier(campaign, email), session_id=session.pk, by=None, now=JUNE
        )
    late = make_dossier(campaign, "late@example.org")
    client.force_login(late.candidate)

    page = page_text(client.get(PAGE))
    posted = client.post(f"/dossier/entreprise/formation/{session.pk}/inscription", follow=True)

    assert "complète" in page and f"formation/{session.pk}/inscription" not in page
    assert "Cette session est complète" in page_text(posted)
    assert SessionRegistration.objects.count() == 2


def test_the_candidate_unregisters(client, campaign, session, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "c@example.org")
    services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)
    client.force_login(dossier.candidate)

    response = client.post(f"/dossier/entreprise/formation/{session.pk}/desinscription")

    session.refresh_from_db()
    assert (response.status_code, session.registered) == (302, 0)


def test_a_session_of_another_campaign_is_not_found(client, campaign, session, clock_at):
    from tests.schools import load_school_campaign

    clock_at(JUNE)
    other = load_school_campaign("ecole-b", "ecole-b-2021")
    foreign = TrainingSession.objects.create(
        campaign=other,
        starts_at=SESSION_AT,
        ends_at=SESSION_AT + timedelta(hours=1),
        place="Ailleurs",
        capacity=5,
        created_at=JUNE,
        created_by=session.created_by,
    )
    dossier = make_dossier(campaign, "c@example.org")
    client.force_login(dossier.candidate)

    response = client.post(f"/dossier/entreprise/formation/{foreign.pk}/inscription")

    assert response.status_code == 404
    assert not SessionRegistration.objects.exists()


def test_a_candidate_with_a_confirmed_company_sees_no_session(client, campaign, session, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "c@example.org")
    confirm(declare(dossier), JUNE)
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))
    posted = client.post(f"/dossier/entreprise/formation/{session.pk}/inscription", follow=True)

    assert "Je m'inscris" not in page and "conseils par téléphone" not in page
    assert "a confirmé votre contrat" in page_text(posted)


def test_a_candidate_not_yet_admitted_sees_nothing_of_it(client, campaign, session, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "below@example.org", admitted=False)
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))

    assert "Aide à la recherche d'entreprise" not in page and "Je m'inscris" not in page


def test_phone_advice_bad_input_keeps_what_was_typed(client, campaign, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "c@example.org")
    client.force_login(dossier.candidate)

    bad = client.post(
        "/dossier/entreprise/conseils-telephone/",
        {"phone": "appelez-moi", "preferred_times": "le soir"},
    )
    good = client.post(
        "/dossier/entreprise/conseils-telephone/",
        {"phone": "06 12 34 56 78", "preferred_times": "le soir"},
    )
    page = page_text(client.get(PAGE))

    assert bad.status_code == 400
    assert "Numéro de téléphone illisible" in page_text(bad) and "le soir" in page_text(bad)
    assert good.status_code == 302
    assert "vous appellera au 06 12 34 56 78" in page
    assert PhoneAdviceRequest.objects.get().preferred_times == "le soir"


def test_the_candidate_page_in_english(client, campaign, session, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "c@example.org")
    client.force_login(dossier.candidate)
    english(client)

    page = page_text(client.get(PAGE))

    assert "Help with the company search" in page
    assert "Register" in page and "I would rather get advice by phone" in page


# --- The presentation file ------------------------------------------------------------------


def test_without_an_upload_the_page_links_the_campaign_files_address(client, campaign, clock_at):
    clock_at(JUNE)
    dossier = make_dossier(campaign, "c@example.org")
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))

    assert 'href="https://www.imt-mines-albi.fr/fr/recrutement-apprenti-ingenieur"' in page
    assert client.get(f"/dossier-de-presentation/{campaign.code}.pdf").status_code == 404


def test_without_an_upload_or_an_address_nothing_is_linked(client, campaign, clock_at):
    clock_at(JUNE)
    document = campaign.document
    document.setdefault("texts", {})["company_presentation_urls"] = []
    campaign.document = document
    campaign.save()
    dossier = make_dossier(campaign, "c@example.org")
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))

    assert 'id="presentation-link"' not in page


def test_the_uploaded_file_is_public_and_linked_from_both_pages(
    client, campaign, officer, clock_at
):
    clock_at(JUNE)
    client.force_login(officer)
    uploaded = client.post(
        f"{STAFF}dossier-de-presentation",
        {"file": SimpleUploadedFile("plaquette.pdf", demo_pdf("Plaquette"))},
    )
    dossier = make_dossier(campaign, "c@example.org")
    company = declare(dossier)
    client.logout()

    download = client.get(f"/dossier-de-presentation/{campaign.code}.pdf")
    link_page = page_text(client.get(f"/entreprise/{links.make_token(company, now=JUNE)}/"))
    client.force_login(dossier.candidate)
    candidate_page = page_text(client.get(PAGE))

    url = f"/dossier-de-presentation/{campaign.code}.pdf"
    assert uploaded.status_code == 302
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert f'href="{url}"' in link_page and f'href="{url}"' in candidate_page


def test_a_refused_upload_says_why_on_the_staff_page(client, campaign, officer, clock_at):
    clock_at(JUNE)
    client.force_login(officer)

    response = client.post(
        f"{STAFF}dossier-de-presentation",
        {"file": SimpleUploadedFile("plaquette.pdf", demo_photo())},
    )

    assert response.status_code == 400
    assert "PDF" in page_text(response) and "Ce formulaire contient des erreurs" in page_text(
        response
    )
    assert not PresentationFile.objects.exists()


# --- Staff pages ----------------------------------------------------------------------------


def test_the_officer_sets_a_session_and_invites(client, campaign, officer, clock_at):
    clock_at(JUNE)
    make_dossier(campaign, "waiting@example.org")
    client.force_login(officer)

    created = client.post(f"{STAFF}sessions/nouvelle", SESSION_FORM)
    session = TrainingSession.objects.get()
    invite = client.post(f"{STAFF}sessions/{session.pk}/invitations", follow=True)
    again = client.post(f"{STAFF}sessions/{session.pk}/invitations", follow=True)

    assert created.status_code == 302
    assert (session.capacity, campaign.local(session.starts_at).hour) == (25, 14)
    assert "1 candidat(s) invité(s) par courriel." in page_text(invite)
    assert "Personne de plus à inviter" in page_text(again)
    assert SessionInvitation.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="training_invitation").count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"date": "2021-05-01"}, "Cette date est passée"),
        ({"capacity": "0"}, "au moins une place"),
        ({"capacity": "abc"}, "Saisissez un nombre entier"),
        ({"ends_at": "13:00"}, "La fin de la session doit suivre son début"),
        ({"place": ""}, "Indiquez le lieu de la session"),
        ({"date": "demain"}, "Saisissez une date valide"),
    ],
)
def test_a_bad_session_gets_a_clear_message(client, campaign, officer, clock_at, changes, message):
    clock_at(JUNE)
    client.force_login(officer)

    response = client.post(f"{STAFF}sessions/nouvelle", {**SESSION_FORM, **changes})

    assert response.status_code == 400
    assert message in page_text(response)
    assert not TrainingSession.objects.exists()


def test_the_officer_edits_and_cancels_a_session(client, campaign, officer, session, clock_at):
    clock_at(JUNE)
    client.force_login(officer)

    edited = client.post(f"{STAFF}sessions/{session.pk}/", {**SESSION_FORM, "capacity": "3"})
    no_reason = client.post(f"{STAFF}sessions/{session.pk}/annulation", {"reason": ""})
    cancelled = client.post(
        f"{STAFF}sessions/{session.pk}/annulation", {"reason": "Salle indisponible"}
    )
    page = page_text(client.get(f"{STAFF}sessions/{session.pk}/"))

    session.refresh_from_db()
    assert (edited.status_code, no_reason.status_code, cancelled.status_code) == (302, 400, 302)
    assert (session.capacity, session.state) == (3, "cancelled")
    assert "Salle indisponible" in page and "Inviter les candidats" not in page


@pytest.mark.parametrize(
    "language,told",
    [
        ("fr", "Un changement de date, d'horaire, de lieu ou de lien est annoncé par courriel"),
        ("en", "A change of date, times, place or link is announced by email"),
    ],
)
def test_an_edit_of_the_date_emails_the_invited_once_even_posted_twice(
    client, campaign, officer, session, clock_at, language, told
):
    clock_at(JUNE)
    make_dossier(campaign, "invited@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)
    client.force_login(officer)
    if language == "en":
        english(client)

    page = page_text(client.get(f"{STAFF}sessions/{session.pk}/"))
    first = client.post(f"{STAFF}sessions/{session.pk}/", SESSION_FORM)
    again = client.post(f"{STAFF}sessions/{session.pk}/", SESSION_FORM)

    assert told in page
    assert (first.status_code, again.status_code) == (302, 302)
    assert list(
        OutboundEmail.objects.filter(kind=OutboundEmail.Kind.TRAINING_CHANGED).values_list(
            "recipient", flat=True
        )
    ) == ["invited@example.org"]


def test_the_officer_sees_registrations_and_phone_requests_and_exports_them(
    client, campaign, officer, session, clock_at
):
    clock_at(JUNE)
    registered = make_dossier(campaign, "registered@example.org")
    services.register(dossier=registered, session_id=session.pk, by=None, now=JUNE)
    caller = make_dossier(campaign, "caller@example.org")
    row = services.request_phone_advice(
        dossier=caller, phone="06 11 22 33 44", preferred_times="midi", by=None, now=JUNE
    )
    client.force_login(officer)

    session_page = page_text(client.get(f"{STAFF}sessions/{session.pk}/"))
    index = page_text(client.get(STAFF))
    done = client.post(f"{STAFF}telephone/{row.pk}/traitee", {"note": "Rappelé"})
    csv = b"".join(client.get(f"{STAFF}inscriptions.csv").streaming_content).decode("utf-8-sig")
    phone_csv = b"".join(client.get(f"{STAFF}conseils-telephone.csv").streaming_content).decode(
        "utf-8-sig"
    )
    xlsx = client.get(f"{STAFF}conseils-telephone.xlsx")

    assert registered.reference in session_page
    assert caller.reference in index and "06 11 22 33 44" in index
    assert done.status_code == 302
    assert registered.reference in csv and "registered@example.org" in csv
    assert "06 11 22 33 44;midi" in phone_csv and "Rappelé" in phone_csv
    assert xlsx.status_code == 200
    assert client.get(f"{STAFF}inscriptions.pdf").status_code == 404


def test_the_central_service_manages_every_school(client, campaign, central, session, clock_at):
    clock_at(JUNE)
    client.force_login(central)

    assert client.get(STAFF).status_code == 200
    assert client.get(f"{STAFF}sessions/{session.pk}/").status_code == 200


def test_another_schools_officer_reaches_nothing(
    client, campaign, other_officer, session, clock_at
):
    clock_at(JUNE)
    caller = make_dossier(campaign, "caller@example.org")
    row = services.request_phone_advice(
        dossier=caller, phone="06 11 22 33 44", preferred_times="", by=None, now=JUNE
    )
    client.force_login(other_officer)

    answers = [
        client.get(STAFF).status_code,
        client.get(f"{STAFF}sessions/{session.pk}/").status_code,
        client.post(f"{STAFF}sessions/{session.pk}/invitations").status_code,
        client.post(f"{STAFF}sessions/{session.pk}/annulation", {"reason": "x"}).status_code,
        client.post(f"{STAFF}telephone/{row.pk}/traitee").status_code,
        client.get(f"{STAFF}inscriptions.csv").status_code,
    ]

    assert answers == [404] * 6
    session.refresh_from_db()
    assert (
        session.state == "scheduled"
        and not PhoneAdviceRequest.objects.filter(done_at__isnull=False).exists()
    )


def test_the_staff_page_in_english(client, campaign, officer, session, clock_at):
    clock_at(JUNE)
    client.force_login(officer)
    english(client)

    page = page_text(client.get(STAFF))

    assert "Help with the company search" in page and "Phone advice requests" in page


def test_the_staff_home_links_the_page(client, officer, clock_at):
    clock_at(JUNE)
    client.force_login(officer)

    assert f'href="{STAFF}"' in page_text(client.get("/gestion/"))


def test_the_candidate_who_attended_a_session_sees_the_next_ones_open(
    client, campaign, officer, session, clock_at
):
    later = SESSION_AT + timedelta(days=7)
    second = new_session(campaign, officer, starts_at=later, ends_at=later + timedelta(hours=2))
    dossier = make_dossier(campaign, "c@example.org")
    services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)
    clock_at(SESSION_AT + timedelta(days=1))
    client.force_login(dossier.candidate)

    page = page_text(client.get(PAGE))

    assert f"formation/{second.pk}/inscription" in page
    assert f"formation/{session.pk}/" not in page


def test_a_presentation_row_without_its_file_is_not_found(client, campaign, officer, clock_at):
    from django.core.files.base import ContentFile

    row = PresentationFile.objects.create(
        campaign=campaign,
        file=ContentFile(demo_pdf("x"), name="gone.pdf"),
        size_bytes=1,
        uploaded_at=JUNE,
        uploaded_by=officer,
    )
    row.file.storage.delete(row.file.name)

    assert client.get(f"/dossier-de-presentation/{campaign.code}.pdf").status_code == 404
