"""Posting in a support thread (R3.9): one transaction, audit, the other side's email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from admissions.audit.models import AuditEntry
from admissions.support.models import Message
from admissions.support.services import SupportError, mark_read, post_message

from .conftest import IN_WINDOW

pytestmark = pytest.mark.django_db


def test_post_message_records_and_audits_without_the_text(dossier, candidate):
    message = post_message(
        dossier=dossier, author=candidate, body="  Ma question  ", from_staff=False, now=IN_WINDOW
    )

    assert message.body == "Ma question"
    entry = AuditEntry.objects.get(action="support.message.posted")
    assert entry.target_id == str(dossier.pk)
    assert "Ma question" not in str(entry.data)


def test_post_message_refuses_an_empty_body(dossier, candidate):
    with pytest.raises(SupportError):
        post_message(dossier=dossier, author=candidate, body="   ", from_staff=False, now=IN_WINDOW)

    assert Message.objects.count() == 0


def test_post_message_records_a_double_post_once(dossier, candidate):
    first = post_message(
        dossier=dossier, author=candidate, body="Bonjour", from_staff=False, now=IN_WINDOW
    )
    second = post_message(
        dossier=dossier,
        author=candidate,
        body="Bonjour",
        from_staff=False,
        now=IN_WINDOW + timedelta(seconds=5),
    )

    assert second.pk == first.pk
    assert Message.objects.count() == 1


def test_post_message_records_the_same_text_again_after_the_window(dossier, candidate):
    post_message(dossier=dossier, author=candidate, body="Bonjour", from_staff=False, now=IN_WINDOW)
    post_message(
        dossier=dossier,
        author=candidate,
        body="Bonjour",
        from_staff=False,
        now=IN_WINDOW + timedelta(seconds=11),
    )

    assert Message.objects.count() == 2


def test_candidate_message_emails_the_central_service_without_the_text(
    dossier, candidate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            dossier=dossier, author=candidate, body="Texte privé", from_staff=False, now=IN_WINDOW
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["support.dossier@imt.fr"]
    assert f"/gestion/messages/{dossier.reference}/" in email.body
    assert "Texte privé" not in email.body
    assert "Durand" not in email.body


def test_staff_message_emails_the_candidate(
    dossier, candidate, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            dossier=dossier, author=officer, body="Réponse", from_staff=True, now=IN_WINDOW
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [candidate.email]
    assert "/dossier/messages/" in mail.outbox[0].body
    assert "Réponse" not in mail.outbox[0].body


def test_mark_read_marks_only_the_other_sides_messages(dossier, candidate, officer):
    mine = post_message(
        dossier=dossier, author=candidate, body="Q", from_staff=False, now=IN_WINDOW
    )
    theirs = post_message(dossier=dossier, author=officer, body="R", from_staff=True, now=IN_WINDOW)

    assert mark_read(dossier=dossier, by_staff=False, now=IN_WINDOW) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is None
    assert theirs.read_at == IN_WINDOW


def test_a_reply_is_announced_in_the_candidates_language(
    dossier, candidate, officer, django_capture_on_commit_callbacks
):
    """R8.2: emails in French, English available: an English-speaking candidate gets English,
    whatever language their last message was written from."""
    candidate.language = "en"
    candidate.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            dossier=dossier, author=candidate, body="Bonjour", from_staff=False, now=IN_WINDOW
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            dossier=dossier,
            author=officer,
            body="Bonjour",
            from_staff=True,
            now=IN_WINDOW + timedelta(minutes=1),
        )

    assert mail.outbox[0].to == [candidate.email]
    assert mail.outbox[0].subject == "New message from the admissions office about your application"
