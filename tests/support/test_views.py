"""The support pages (R3.9, R9.2, R9.4): candidate thread, staff threads, FAQ."""

from __future__ import annotations

import pytest
from django.core import mail

from admissions.support.models import Message
from admissions.support.services import post_message

from .conftest import IN_WINDOW, page_text

pytestmark = pytest.mark.django_db
CANDIDATE_URL = "/dossier/messages/"
STAFF_LIST_URL = "/gestion/messages/"


def staff_url(dossier):
    return f"/gestion/messages/{dossier.reference}/"


def test_candidate_posts_and_the_central_service_is_emailed(
    client, candidate, dossier, frozen_clock, django_capture_on_commit_callbacks
):
    client.force_login(candidate)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CANDIDATE_URL, {"body": "Ma pièce d'identité est-elle lisible ?"})

    assert response.status_code == 302
    assert Message.objects.get().from_staff is False
    assert [email.to for email in mail.outbox] == [["support.dossier@imt.fr"]]
    assert "Ma pièce d'identité est-elle lisible ?" in page_text(client.get(CANDIDATE_URL))


def test_staff_sees_the_message_and_replies(
    client, candidate, officer, dossier, frozen_clock, django_capture_on_commit_callbacks
):
    post_message(
        dossier=dossier, author=candidate, body="Question ?", from_staff=False, now=IN_WINDOW
    )
    client.force_login(officer)

    listing = page_text(client.get(STAFF_LIST_URL))
    thread = page_text(client.get(staff_url(dossier)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(staff_url(dossier), {"body": "Oui, elle est lisible."})

    assert dossier.reference in listing
    assert "Camille Durand" in listing
    assert "Question ?" in thread
    assert response.status_code == 302
    assert Message.objects.get(from_staff=True).body == "Oui, elle est lisible."
    assert Message.objects.get(from_staff=False).read_at is not None
    assert [email.to for email in mail.outbox] == [[candidate.email]]


def test_candidate_sees_the_reply_and_it_becomes_read(
    client, candidate, officer, dossier, frozen_clock
):
    reply = post_message(
        dossier=dossier, author=officer, body="Réponse du service", from_staff=True, now=IN_WINDOW
    )
    client.force_login(candidate)

    page = page_text(client.get(CANDIDATE_URL))

    assert "Réponse du service" in page
    reply.refresh_from_db()
    assert reply.read_at is not None


def test_staff_list_puts_unread_threads_first(
    client, candidate, officer, dossier, other_dossier, other_candidate, frozen_clock
):
    post_message(dossier=dossier, author=candidate, body="Ancien", from_staff=False, now=IN_WINDOW)
    post_message(
        dossier=other_dossier,
        author=other_candidate,
        body="Récent",
        from_staff=False,
        now=IN_WINDOW,
    )
    Message.objects.filter(dossier=other_dossier).update(read_at=IN_WINDOW)
    client.force_login(officer)

    page = page_text(client.get(STAFF_LIST_URL))

    assert page.index(dossier.reference) < page.index(other_dossier.reference)


def test_another_candidate_never_sees_the_thread(
    client, candidate, dossier, other_candidate, other_dossier, officer, frozen_clock
):
    post_message(
        dossier=dossier, author=candidate, body="Secret de Camille", from_staff=False, now=IN_WINDOW
    )
    post_message(
        dossier=dossier, author=officer, body="Réponse pour Camille", from_staff=True, now=IN_WINDOW
    )
    client.force_login(other_candidate)

    page = page_text(client.get(CANDIDATE_URL))

    assert "Secret de Camille" not in page
    assert "Réponse pour Camille" not in page
    assert dossier.reference not in page
    assert Message.objects.get(from_staff=True).read_at is None


def test_candidate_cannot_open_the_staff_pages(client, candidate, dossier, frozen_clock):
    client.force_login(candidate)

    assert client.get(STAFF_LIST_URL).status_code == 403
    assert client.get(staff_url(dossier)).status_code == 403
    assert client.post(staff_url(dossier), {"body": "Je me réponds"}).status_code == 403
    assert Message.objects.count() == 0


def test_school_officer_cannot_open_the_staff_pages(
    client, accounts_by_role, dossier, frozen_clock
):
    client.force_login(accounts_by_role["school_officer"])

    assert client.get(staff_url(dossier)).status_code == 403


def test_staff_thread_is_404_for_an_unknown_reference(
    client, officer, frozen_clock, reference_campaign
):
    client.force_login(officer)

    assert client.get("/gestion/messages/NOPE-0000/").status_code == 404


def test_empty_message_is_refused_with_a_message_and_nothing_saved(
    client, candidate, dossier, frozen_clock
):
    client.force_login(candidate)

    response = client.post(CANDIDATE_URL, {"body": "   "})

    page = page_text(response)
    assert response.status_code == 200
    assert "Écrivez votre message avant de l'envoyer." in page
    assert 'id="error-summary"' in page
    assert Message.objects.count() == 0


def test_too_long_message_keeps_the_text(client, candidate, dossier, frozen_clock):
    client.force_login(candidate)
    text = "a" * 5001

    page = page_text(client.post(CANDIDATE_URL, {"body": text}))

    assert text in page
    assert Message.objects.count() == 0


def test_double_post_through_the_page_records_once(client, candidate, dossier, frozen_clock):
    client.force_login(candidate)

    client.post(CANDIDATE_URL, {"body": "Bonjour"})
    client.post(CANDIDATE_URL, {"body": "Bonjour"})

    assert Message.objects.count() == 1


def test_candidate_can_write_after_submission(client, candidate, dossier, frozen_clock):
    dossier.state = dossier.State.SUBMITTED
    dossier.submitted_at = IN_WINDOW
    dossier.save()
    client.force_login(candidate)

    response = client.post(CANDIDATE_URL, {"body": "Après dépôt"})

    assert response.status_code == 302
    assert Message.objects.get().body == "Après dépôt"


def test_candidate_menu_links_to_messages(client, candidate, dossier, frozen_clock):
    client.force_login(candidate)

    assert f'href="{CANDIDATE_URL}"' in page_text(client.get("/dossier/"))


def test_faq_shows_the_questions_in_french(client, reference_campaign):
    page = page_text(client.get("/aide/"))

    assert "Quels fichiers puis-je déposer ?" in page
    assert "support.dossier@imt.fr" in page
    assert "admissions@mines-albi.fr" in page
    assert 'href="/notice/"' in page
    assert 'aria-controls="faq-1"' in page


def test_faq_shows_the_questions_in_english(client, reference_campaign):
    client.cookies["django_language"] = "en"

    page = page_text(client.get("/aide/"))

    assert "Which files can I upload?" in page
    assert "Quels fichiers puis-je déposer ?" not in page


def test_staff_list_query_count_does_not_grow_with_rows(
    client, officer, dossier, candidate, reference_campaign, frozen_clock
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from admissions.accounts.models import User

    from .conftest import make_dossier

    client.force_login(officer)
    post_message(dossier=dossier, author=candidate, body="Un", from_staff=False, now=IN_WINDOW)
    client.get(STAFF_LIST_URL)  # the process reads the campaign row once, then its revision only
    with CaptureQueriesContext(connection) as one_row:
        client.get(STAFF_LIST_URL)
    for index in range(2):
        user = User.objects.create_user(f"c{index}@example.org", "a-long-password-1")
        more = make_dossier(user, reference_campaign, "A", f"B{index}")
        post_message(dossier=more, author=user, body="Deux", from_staff=False, now=IN_WINDOW)
    with CaptureQueriesContext(connection) as three_rows:
        page = page_text(client.get(STAFF_LIST_URL))

    assert page.count("/gestion/messages/") >= 3
    assert len(three_rows) == len(one_row)


def test_message_is_saved_without_invisible_formatting(client, candidate, dossier, frozen_clock):
    """Issue 10: bidi overrides would show staff another text than the one stored."""
    client.force_login(candidate)

    response = client.post(
        CANDIDATE_URL, {"body": "Mon dossier \u202eFDP.exe\u202c\r\nmerci\u200b"}
    )

    assert response.status_code == 302
    assert Message.objects.get().body == "Mon dossier FDP.exe\r\nmerci"
