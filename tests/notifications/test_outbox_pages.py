"""The staff outbox (R8.2): the list, one email, "send again", within the staff's schools (R9.2)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from admissions.accounts.models import Role, RoleGrant, User
from admissions.audit.models import AuditEntry
from admissions.campaigns.models import School
from admissions.dossiers.services import open_dossier
from admissions.notifications import services
from admissions.notifications.models import OutboundEmail
from admissions.referees.models import Referee
from tests.helpers import IN_WINDOW, page_text

pytestmark = pytest.mark.django_db

State = OutboundEmail.State
Kind = OutboundEmail.Kind
OUTBOX_URL = "/gestion/courriels/"


def make_dossier(campaign, email: str = "ana@example.org", language: str = "fr"):
    user = User.objects.create_user(email, "a-long-password-1", language=language)
    dossier = open_dossier(candidate=user, campaign=campaign, now=IN_WINDOW)
    dossier.first_name, dossier.last_name = "Ana", "Durand"
    dossier.save()
    return dossier


def email_row(
    key: str,
    *,
    dossier=None,
    kind: str = Kind.RECEIPT,
    state: str = State.SENT,
    language: str = "fr",
    recipient: str = "ana@example.org",
    queued_at=None,
    **fields,
) -> OutboundEmail:
    """A row as the worker leaves it, written directly: no delivery runs."""
    at = queued_at or timezone.now()
    fields.setdefault("next_attempt_at", at)
    return OutboundEmail.objects.create(
        key=key,
        kind=kind,
        dossier=dossier,
        state=state,
        language=language,
        recipient=recipient,
        queued_at=at,
        **fields,
    )


def account_payload(subject: str, to: str = "ana@example.org") -> dict:
    """What accounts/emails.py keeps of an account email until it is sent."""
    return {
        "subject": subject,
        "body": "Bonjour",
        "from_email": "admissions@example.org",
        "to": [to],
        "html": "",
    }


def listed_keys(response) -> list[int]:
    return [email.pk for email in response.context["page"]]


@pytest.fixture
def dossier(reference_campaign):
    return make_dossier(reference_campaign)


@pytest.fixture
def other_school_officer(db):
    school = School.objects.create(code="autre-ecole", name="Autre école")
    user = User.objects.create_user("officer@autre.example.org", "a-long-password-1")
    RoleGrant.objects.create(user=user, role=Role.SCHOOL_OFFICER, school=school)
    return user


def test_central_officer_reads_every_email_newest_first(client, accounts_by_role, dossier):
    now = timezone.now()
    older = email_row("receipt:1", dossier=dossier, queued_at=now - timedelta(hours=1))
    account = email_row("account:x", kind=Kind.ACCOUNT, queued_at=now)
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(OUTBOX_URL)

    assert response.status_code == 200
    assert listed_keys(response) == [account.pk, older.pk]


def test_school_officer_reads_only_the_emails_of_their_schools_dossiers(
    client, accounts_by_role, dossier, other_school_officer
):
    about_dossier = email_row("receipt:1", dossier=dossier)
    account = email_row("account:x", kind=Kind.ACCOUNT)
    client.force_login(accounts_by_role["school_officer"])

    own = client.get(OUTBOX_URL)
    refused_account = client.get(reverse("notifications:detail", args=[account.pk]))
    client.force_login(other_school_officer)
    other = client.get(OUTBOX_URL)
    refused_detail = client.get(reverse("notifications:detail", args=[about_dossier.pk]))

    assert listed_keys(own) == [about_dossier.pk]
    assert refused_account.status_code == 404
    assert listed_keys(other) == []
    assert refused_detail.status_code == 404


@pytest.mark.parametrize("role", ["candidate", "committee_member", "jury_member"])
def test_outbox_is_refused_to_roles_that_do_not_read_it(client, accounts_by_role, role):
    client.force_login(accounts_by_role[role])

    assert client.get(OUTBOX_URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "failed"}, ["failed"]),
        ({"kind": "dossier_reminder"}, ["english"]),
        ({"language": "en"}, ["english"]),
        ({"q": "BOB@EXAMPLE"}, ["bob"]),
        ({"queued_from": "2021-03-02", "queued_until": "2021-03-02"}, ["english"]),
        ({"state": "sent", "language": "fr"}, ["bob", "old"]),
    ],
    ids=["state", "kind", "language", "recipient", "date range", "two filters"],
)
def test_outbox_filters(client, accounts_by_role, dossier, query, expected):
    day = timezone.make_aware(timezone.datetime(2021, 3, 1, 12, 0))
    rows = {
        "old": email_row("receipt:old", dossier=dossier, queued_at=day - timedelta(days=3)),
        "failed": email_row("k:failed", state=State.FAILED, queued_at=day, last_error="boom"),
        "english": email_row(
            "k:en", kind=Kind.DOSSIER_REMINDER, language="en", queued_at=day + timedelta(days=1)
        ),
        "bob": email_row("k:bob", recipient="bob@example.org", queued_at=day + timedelta(days=2)),
    }
    names = {email.pk: name for name, email in rows.items()}
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(OUTBOX_URL, query)

    assert [names[pk] for pk in listed_keys(response)] == expected


def test_outbox_search_finds_a_dossier_by_its_reference(client, accounts_by_role, dossier):
    found = email_row("receipt:1", dossier=dossier, recipient="someone@example.org")
    email_row("k:other", recipient="other@example.org")
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(OUTBOX_URL, {"q": dossier.reference.lower()})

    assert listed_keys(response) == [found.pk]


def test_outbox_with_a_malformed_date_says_so_and_lists_nothing(client, accounts_by_role):
    email_row("k:1")
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(OUTBOX_URL, {"queued_from": "2021-13-45"})

    assert response.status_code == 200
    assert listed_keys(response) == []
    assert "Un filtre n'est pas valide : corrigez-le pour voir les courriels." in page_text(
        response
    )


def test_outbox_pages_keep_the_filters(client, accounts_by_role, monkeypatch):
    from admissions.notifications import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    rows = [email_row(f"k:{n}", queued_at=now - timedelta(minutes=n)) for n in range(3)]
    client.force_login(accounts_by_role["central_officer"])

    first = client.get(OUTBOX_URL, {"state": "sent"})
    second = client.get(OUTBOX_URL, {"state": "sent", "page": "2"})

    assert listed_keys(first) == [rows[0].pk, rows[1].pk]
    assert listed_keys(second) == [rows[2].pk]
    assert 'href="?state=sent&amp;page=2"' in first.content.decode()


def test_outbox_query_count_does_not_grow_with_rows(client, accounts_by_role, reference_campaign):
    client.force_login(accounts_by_role["school_officer"])
    email_row("receipt:a", dossier=make_dossier(reference_campaign, "a@example.org"))
    client.get(OUTBOX_URL)  # the process reads the campaign once, then its revision only
    with CaptureQueriesContext(connection) as one_row:
        client.get(OUTBOX_URL)
    for name in ("b", "c"):
        email_row(
            f"receipt:{name}", dossier=make_dossier(reference_campaign, f"{name}@example.org")
        )
    with CaptureQueriesContext(connection) as three_rows:
        response = client.get(OUTBOX_URL)

    assert len(listed_keys(response)) == 3
    assert len(three_rows) == len(one_row)


def test_email_detail_shows_the_attempts_the_next_attempt_and_the_error(
    client, accounts_by_role, dossier, settings
):
    settings.LANGUAGE_CODE = "fr"
    next_at = timezone.make_aware(timezone.datetime(2021, 3, 1, 10, 15))
    email = email_row(
        "receipt:1",
        dossier=dossier,
        state=State.QUEUED,
        attempts=2,
        next_attempt_at=next_at,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        subject="Accusé <b>de réception</b>",
        body="Bonjour <script>alert(1)</script>",
    )
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(reverse("notifications:detail", args=[email.pk]))

    html = response.content.decode()
    text = page_text(response)
    assert response.status_code == 200
    assert "2 sur 9 au plus" in text
    assert '<dd id="next-attempt">1er mars 2021 à 10 h 15</dd>' in html
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in text
    assert "Bonjour &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Renvoyer ce courriel" not in text  # not failed: nothing to send again


def test_email_detail_of_a_sent_email_shows_no_next_attempt(client, accounts_by_role, dossier):
    email = email_row("receipt:1", dossier=dossier, attempts=1, sent_at=timezone.now())
    client.force_login(accounts_by_role["central_officer"])

    html = client.get(reverse("notifications:detail", args=[email.pk])).content.decode()

    assert 'id="next-attempt"' not in html


def test_a_referee_request_keeps_its_text_without_the_personal_link(
    client, accounts_by_role, dossier, smtp, django_capture_on_commit_callbacks
):
    from admissions.referees.emails import queue_request

    referee = Referee.objects.create(
        dossier=dossier,
        kind=Referee.Kind.ACADEMIC,
        name="Dominique Prof",
        role="Professeur",
        email="prof@example.org",
        requested_at=IN_WINDOW,
    )
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_request(referee, language="fr", reminder=False)
    email.refresh_from_db()
    client.force_login(accounts_by_role["school_officer"])

    page = page_text(client.get(reverse("notifications:detail", args=[email.pk])))

    assert email.state == State.SENT
    assert "/recommandation/" in smtp.delivered[0].body  # the referee got the link
    assert "/recommandation/" not in email.body
    assert email.body.count(services.MASKED_LINK) == 1
    assert services.MASKED_LINK in page
    assert email.dossier == dossier


def test_an_account_confirmation_keeps_its_text_without_the_link(
    client, reference_campaign, settings, smtp, django_capture_on_commit_callbacks
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "password1": "pw-Long-42-x", "password2": "pw-Long-42-x"},
        )

    email = OutboundEmail.objects.get()
    assert email.state == State.SENT
    assert "/accounts/confirm-email/" not in email.body
    assert services.MASKED_LINK in email.body


def test_send_again_queues_a_failed_email_once_and_records_who(
    client, accounts_by_role, dossier, smtp, django_capture_on_commit_callbacks
):
    email = email_row(
        "account:x",
        kind=Kind.ACCOUNT,
        state=State.FAILED,
        attempts=9,
        last_error="SMTPRecipientsRefused",
        payload=account_payload("Votre compte"),
    )
    officer = accounts_by_role["central_officer"]
    client.force_login(officer)
    url = reverse("notifications:send_again", args=[email.pk])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)

    email.refresh_from_db()
    assert email.state == State.SENT
    assert smtp.recipients() == ["ana@example.org"]
    assert [str(m) for m in first.context["messages"]] == [
        "Le courriel est remis en file : il part dans un instant."
    ]
    assert [str(m) for m in second.context["messages"]] == [
        "Ce courriel n'est pas en échec (il a déjà été remis en file) : rien n'est fait."
    ]
    entries = AuditEntry.objects.for_object(email)
    assert [(e.action, e.actor) for e in entries] == [("notifications.email.sent_again", officer)]


def test_send_again_is_a_post(client, accounts_by_role):
    email = email_row("k:1", state=State.FAILED)
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(reverse("notifications:send_again", args=[email.pk]))

    email.refresh_from_db()
    assert (response.status_code, email.state) == (405, State.FAILED)


def test_send_again_of_another_schools_email_is_not_found(client, dossier, other_school_officer):
    email = email_row("receipt:1", dossier=dossier, state=State.FAILED)
    client.force_login(other_school_officer)

    response = client.post(reverse("notifications:send_again", args=[email.pk]))

    email.refresh_from_db()
    assert (response.status_code, email.state) == (404, State.FAILED)


def test_backfill_fills_the_dossier_of_emails_queued_before_the_column(reference_campaign):
    from admissions.dossiers.models import DossierReminder

    dossier = make_dossier(reference_campaign)
    reminder = DossierReminder.objects.create(dossier=dossier, stage="j-3", sent_at=IN_WINDOW)
    receipt = email_row(f"receipt:{dossier.pk}")
    reminded = email_row(f"dossier-reminder:{reminder.pk}", kind=Kind.DOSSIER_REMINDER)
    account = email_row("account:abc", kind=Kind.ACCOUNT)
    gone = email_row("receipt:987654")
    migration = import_module(
        "admissions.notifications.migrations.0004_backfill_outbound_email_dossier"
    )

    migration.forward(django_apps, None)

    found = dict(OutboundEmail.objects.values_list("pk", "dossier_id"))
    assert found == {
        receipt.pk: dossier.pk,
        reminded.pk: dossier.pk,
        account.pk: None,
        gone.pk: None,
    }


def test_templates_page_lists_every_kind(client, accounts_by_role, reference_campaign):
    client.force_login(accounts_by_role["school_officer"])

    response = client.get(reverse("notifications:templates"))

    links = [reverse("notifications:template", args=[kind]) for kind in services.PREVIEWS]
    html = response.content.decode()
    assert response.status_code == 200
    assert [link for link in links if f'href="{link}"' in html] == links


@pytest.mark.parametrize("kind", sorted(services.PREVIEWS))
def test_template_preview_page_shows_french_and_english(
    client, accounts_by_role, reference_campaign, kind
):
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(reverse("notifications:template", args=[kind]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview-fr">Français</h2>' in html
    assert 'id="preview-en">English</h2>' in html


def test_template_preview_of_an_unknown_kind_is_not_found(
    client, accounts_by_role, reference_campaign
):
    client.force_login(accounts_by_role["central_officer"])

    assert client.get(reverse("notifications:template", args=["nope"])).status_code == 404
