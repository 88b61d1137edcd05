"""Fee payments (R3.6, R8.4): declared by the candidate, confirmed by staff, receipts downloadable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from admissions.audit.models import AuditEntry
from admissions.dossiers.services import open_dossier
from admissions.payments.models import Payment
from admissions.payments.services import PaymentError, decide_payment, declare_payment
from tests.dossiers.helpers import IN_WINDOW, fill_pages
from tests.helpers import pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(reference_campaign, accounts_by_role):
    return fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )


def test_declaring_twice_records_one_payment(dossier):
    first = declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)
    second = declare_payment(
        dossier=dossier, reference="VIR-2", by=dossier.candidate, now=IN_WINDOW
    )

    assert first.pk == second.pk
    assert Payment.objects.count() == 1


def test_fees_page_declares_the_amount_due(client, dossier, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(dossier.candidate)

    client.post(reverse("dossiers:page", args=["frais"]), {"payment": "1", "reference": "VIR-42"})

    payment = Payment.objects.get()
    assert payment.amount == Decimal("77.00")  # one formation, standard tariff (R3.6)
    assert payment.state == Payment.State.DECLARED


def test_staff_confirm_a_payment_once_with_an_audit_entry(dossier, accounts_by_role):
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    officer = accounts_by_role["central_officer"]

    decide_payment(payment=payment, received=True, by=officer, now=IN_WINDOW)

    payment.refresh_from_db()
    assert payment.state == Payment.State.CONFIRMED
    assert AuditEntry.objects.filter(action="payments.payment.confirmed").count() == 1
    with pytest.raises(PaymentError):
        decide_payment(payment=payment, received=False, by=officer, now=IN_WINDOW)


def test_a_payment_not_received_lets_the_candidate_declare_again(dossier, accounts_by_role):
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    decide_payment(
        payment=payment, received=False, by=accounts_by_role["central_officer"], now=IN_WINDOW
    )

    again = declare_payment(dossier=dossier, reference="VIR-2", by=dossier.candidate, now=IN_WINDOW)

    assert again.pk != payment.pk


def test_staff_page_lists_declared_payments_and_confirms(client, dossier, accounts_by_role):
    payment = declare_payment(
        dossier=dossier, reference="VIR-77", by=dossier.candidate, now=IN_WINDOW
    )
    client.force_login(accounts_by_role["central_officer"])

    assert "VIR-77" in client.get(reverse("payments:pending")).content.decode()
    client.post(reverse("payments:decide", args=[payment.pk]), {"decision": "confirm"})

    payment.refresh_from_db()
    assert payment.state == Payment.State.CONFIRMED


def test_candidate_cannot_confirm_payments(client, dossier):
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    client.force_login(dossier.candidate)

    response = client.post(reverse("payments:decide", args=[payment.pk]), {"decision": "confirm"})

    assert response.status_code == 403
    payment.refresh_from_db()
    assert payment.state == Payment.State.DECLARED


def test_receipt_only_for_ones_own_confirmed_payment(
    client, dossier, accounts_by_role, reference_campaign
):
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    url = reverse("payments:receipt", args=[payment.pk])
    client.force_login(dossier.candidate)
    assert client.get(url).status_code == 404  # not confirmed yet
    decide_payment(
        payment=payment, received=True, by=accounts_by_role["central_officer"], now=IN_WINDOW
    )

    response = client.get(url)
    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"

    from admissions.accounts.models import User

    client.force_login(User.objects.create_user("other@example.org", "pw"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_pending_payments_page_queries_do_not_grow_with_rows(
    client, reference_campaign, accounts_by_role, rows, django_assert_num_queries
):
    from admissions.accounts.models import User

    for number in range(rows):
        candidate = User.objects.create_user(f"payer{number}@example.org", "pw")
        dossier = fill_pages(
            open_dossier(candidate=candidate, campaign=reference_campaign, now=IN_WINDOW),
            reference_campaign,
        )
        declare_payment(dossier=dossier, reference=f"VIR-{number}", by=candidate, now=IN_WINDOW)
    client.force_login(accounts_by_role["central_officer"])
    client.get(reverse("payments:pending"))  # warm the campaign's parameters cache

    # session, user, roles, campaign (shared with the page frame), payments with dossier and
    # candidate, then the dossiers' choices, documents and payments for what remains due
    with django_assert_num_queries(8):
        response = client.get(reverse("payments:pending"))

    assert response.content.decode().count("VIR-") == rows


def test_confirming_a_payment_emails_the_candidate_after_commit(
    dossier, accounts_by_role, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 8, R8.2: the candidate learns the payment arrived and that nothing remains due."""
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decide_payment(
            payment=payment, received=True, by=accounts_by_role["central_officer"], now=IN_WINDOW
        )
    assert mailoutbox == []  # nothing sent before the commit
    for callback in callbacks:
        callback()

    (message,) = mailoutbox
    assert message.to == [dossier.candidate.email]
    assert (
        message.subject
        == f"[{dossier.campaign.school.name}] Paiement reçu pour votre dossier {dossier.reference}"
    )
    assert message.body.splitlines()[2] == (
        f"Le service a bien reçu votre paiement de 77,00\u00a0€ (référence VIR-1) pour le dossier {dossier.reference}."
    )
    assert message.body.splitlines()[4] == (
        "Vos frais de dossier sont réglés. Le reçu est téléchargeable sur la page « Frais de dossier » "
        "de votre dossier."
    )


def test_a_payment_not_received_emails_what_to_do_in_the_candidates_language(
    dossier, accounts_by_role, mailoutbox, django_capture_on_commit_callbacks
):
    """The account's language decides (R8.2), not the page the payment was declared from."""
    dossier.candidate.language = "en"
    dossier.candidate.save(update_fields=["language"])
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW, language="fr"
    )

    with django_capture_on_commit_callbacks(execute=True):
        decide_payment(
            payment=payment, received=False, by=accounts_by_role["central_officer"], now=IN_WINDOW
        )

    (message,) = mailoutbox
    assert message.subject == (
        f"[{dossier.campaign.school.name}] Payment not received for your application {dossier.reference}"
    )
    lines = message.body.splitlines()
    assert (
        lines[2]
        == "The office has not received the payment of €77.00 you declared (reference VIR-1)."
    )
    assert lines[5:9] == [
        "Payee: IMT Mines Albi-Carmaux — Agence comptable",
        "IBAN: FR14 2004 1010 0505 0001 3M02 606",
        "BIC: PSSTFRPPTOU",
        f"Reference to quote: {dossier.reference}",
    ]
    assert lines[10] == (
        "Then declare your payment (€77.00) again on the “Application fee” page of your application."
    )


def test_payment_receipt_shows_the_amount_and_what_remains(client, dossier, accounts_by_role):
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    decide_payment(
        payment=payment, received=True, by=accounts_by_role["central_officer"], now=IN_WINDOW
    )
    client.force_login(dossier.candidate)

    response = client.get(reverse("payments:receipt", args=[payment.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    lines = pdf_lines(response.content)
    assert "Montant 77,00 €" in lines
    assert "Total des frais du dossier 77,00 €" in lines
    assert "Reste dû 0,00 €" in lines
