"""The staff outbox in Chromium (R8.2): filter, open a failed email, send it again; axe-core on
the list, the detail and a template preview, in French and English. Screenshots in tmp_path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from admissions.notifications.models import OutboundEmail
from tests.browser.axe import serious_violations
from tests.browser.test_pages_accessibility import log_in
from tests.notifications.test_outbox_pages import account_payload, email_row, make_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

State = OutboundEmail.State


def outbox_rows(campaign) -> OutboundEmail:
    """One email per state; returns the failed one."""
    dossier = make_dossier(campaign)
    now = timezone.now()
    email_row(
        "receipt:sent",
        dossier=dossier,
        attempts=1,
        sent_at=now,
        subject="Accusé de réception de votre dossier",
        body="Bonjour Ana Durand,\n\nVotre dossier a bien été déposé.",
        queued_at=now - timedelta(minutes=3),
    )
    email_row(
        "reminder:retrying",
        dossier=dossier,
        kind=OutboundEmail.Kind.DOSSIER_REMINDER,
        state=State.QUEUED,
        language="en",
        attempts=2,
        next_attempt_at=now + timedelta(minutes=5),
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        queued_at=now - timedelta(minutes=2),
    )
    return email_row(
        "account:failed",
        kind=OutboundEmail.Kind.ACCOUNT,
        state=State.FAILED,
        recipient="ana@example.org",
        attempts=1,
        last_error="SMTPRecipientsRefused: {'ana@example.org': (550, b'User unknown')}",
        subject="[IMT Mines Albi-Carmaux] Réinitialisation du mot de passe",
        body="Bonjour,\n\n[lien personnel masqué / personal link hidden]",
        payload=account_payload("Réinitialisation du mot de passe"),
        queued_at=now - timedelta(minutes=1),
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_officer_filters_opens_and_sends_again_a_failed_email(
    page, live_server, reference_campaign, accounts_by_role, tmp_path, language
):
    failed = outbox_rows(reference_campaign)
    log_in(page, live_server, accounts_by_role["central_officer"], language)
    found = {}

    page.goto(live_server.url + "/gestion/courriels/")
    page.screenshot(path=str(tmp_path / f"outbox-{language}.png"), full_page=True)
    found["list"] = serious_violations(page)
    page.select_option("#id_state", "failed")
    page.locator("#id_q").press("Enter")  # the filters are submitted from the keyboard
    page.wait_for_url("**/gestion/courriels/?*state=failed*")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").click()
    page.wait_for_url(f"**/gestion/courriels/{failed.pk}/")
    page.screenshot(path=str(tmp_path / f"email-failed-{language}.png"), full_page=True)
    found["detail"] = serious_violations(page)
    page.locator("form[action$='/renvoyer'] button").click()
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / f"email-sent-again-{language}.png"), full_page=True)
    notice = page.locator(".fr-alert--success").inner_text().strip()
    page.goto(live_server.url + "/gestion/courriels/modeles/receipt/")
    page.screenshot(path=str(tmp_path / f"template-receipt-{language}.png"), full_page=True)
    found["template"] = serious_violations(page)

    failed.refresh_from_db()
    assert failed.state == State.SENT
    assert (
        notice
        == {
            "fr": "Le courriel est remis en file : il part dans un instant.",
            "en": "The email is queued again: it leaves in a moment.",
        }[language]
    )
    assert {name: v for name, v in found.items() if v} == {}


def test_the_retry_is_shown_on_the_detail_page(
    page, live_server, reference_campaign, accounts_by_role, tmp_path
):
    outbox_rows(reference_campaign)
    retrying = OutboundEmail.objects.get(key="reminder:retrying")
    log_in(page, live_server, accounts_by_role["school_officer"])

    page.goto(live_server.url + f"/gestion/courriels/{retrying.pk}/")
    page.screenshot(path=str(tmp_path / "email-retrying.png"), full_page=True)

    assert page.locator("#next-attempt").inner_text().strip() != ""
    assert page.locator("#last-error").inner_text() == (
        "ConnectionRefusedError: [Errno 111] Connection refused"
    )
    assert serious_violations(page) == []
