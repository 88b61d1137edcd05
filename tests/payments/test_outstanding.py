"""What is still due (issue 8, R3.6, R8.4): shown to the candidate and staff, declared, blocking."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import fee_status, submission_blockers
from admissions.dossiers.services import open_dossier, submit_dossier
from admissions.payments.models import Payment
from admissions.payments.services import decide_payment, declare_payment
from tests.documents import corpus
from tests.dossiers.helpers import (
    IN_WINDOW,
    fill_pages,
    received_recommendations,
    upload_everything,
)
from tests.html_text import element, element_text

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def text_of(response, element_id: str) -> str:
    """The text of the element with ``element_id``, tags removed and spaces collapsed."""
    page = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no #{element_id} in the page"
    return squeeze(re.sub(r"<[^>]+>", " ", match.group(2)))


def squeeze(markup: str) -> str:
    """Entities decoded, runs of ordinary white space made one space (no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(markup)).strip()


def cells(response, reference: str) -> list[str]:
    """The cells of the staff desk's row for dossier ``reference``."""
    page = response.content.decode()
    row = re.search(rf"<tr>\s*<td>{reference}</td>(.*?)</tr>", page, re.S)
    assert row, f"no row for {reference}"
    return [
        squeeze(re.sub(r"<[^>]+>", " ", cell))
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


@pytest.fixture
def dossier(reference_campaign, accounts_by_role):
    """Everything but the fee: pages filled, documents uploaded, recommendations received."""
    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )
    upload_everything(dossier, reference_campaign)
    received_recommendations(dossier)
    return dossier


@pytest.fixture
def candidate(client, dossier, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(dossier.candidate)
    return client


def choose(client, campaign, count: int) -> None:
    options = [option.code for option in campaign.options_on_offer()[:count]]
    response = client.post(
        reverse("dossiers:page", args=["formations"]),
        {"options": options, "notice_acknowledged": "on"},
    )
    assert response.status_code == 302


def test_an_option_added_after_paying_leaves_the_difference_due_until_declared(
    candidate,
    dossier,
    reference_campaign,
    client,
    accounts_by_role,
    django_capture_on_commit_callbacks,
):
    """Issue 8: 99 € declared, a third option (121 €): 22 € shown due, submission blocked,
    staff see it beside the 99 €, the candidate declares the 22 € and can then submit."""
    fees_url = reverse("dossiers:page", args=["frais"])
    choose(candidate, reference_campaign, 2)
    candidate.post(fees_url, {"payment": "1", "reference": dossier.reference})
    assert [p.amount for p in Payment.objects.all()] == [Decimal("99.00")]

    choose(candidate, reference_campaign, 3)  # one more letter of motivation is due too

    page = candidate.get(fees_url)
    assert text_of(page, "fee-outstanding") == f"Reste dû 22,00{NBSP}€"
    assert text_of(page, "live-fee-outstanding") == f"Reste dû{NBSP}: 22,00{NBSP}€ — le régler"
    assert f"J'ai payé 22,00{NBSP}€" in html.unescape(page.content.decode())
    candidate.post(reverse("dossiers:page", args=["depot"]))
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.DRAFT
    review = candidate.get(reverse("dossiers:page", args=["depot"]))
    assert re.findall(
        r'<li><a href="/dossier/frais/">(.*?)</a></li>', html.unescape(review.content.decode())
    ) == [f"Frais de dossier{NBSP}: le règlement du reste dû (22,00{NBSP}€)"]

    staff = client.__class__()
    staff.force_login(accounts_by_role["central_officer"])
    desk = staff.get(reverse("payments:pending"))
    assert cells(desk, dossier.reference)[1:4] == [
        f"99,00{NBSP}€",
        f"121,00{NBSP}€",
        f"22,00{NBSP}€",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("payments:decide", args=[Payment.objects.get().pk]), {"decision": "confirm"}
        )

    candidate.post(fees_url, {"payment": "1", "reference": dossier.reference})

    assert [(p.amount, p.state) for p in Payment.objects.all()] == [
        (Decimal("99.00"), Payment.State.CONFIRMED),
        (Decimal("22.00"), Payment.State.DECLARED),
    ]
    assert text_of(candidate.get(fees_url), "fee-outstanding") == f"Reste dû 0,00{NBSP}€"
    upload_everything(Dossier.objects.get(pk=dossier.pk), reference_campaign)  # the new letters
    with django_capture_on_commit_callbacks(execute=True):
        candidate.post(reverse("dossiers:page", args=["depot"]))
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED


def test_nothing_paid_blocks_with_the_full_amount(dossier, reference_campaign):
    with translation.override("en"):
        blockers = submission_blockers(dossier, reference_campaign.params(), IN_WINDOW, "en")

    assert [b for b in blockers if b[0] == "frais"] == [
        ("frais", "Application fee: payment of the application fee (€77.00)")
    ]


def test_a_second_declaration_when_nothing_is_due_records_nothing(dossier):
    first = declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)

    again = declare_payment(dossier=dossier, reference="VIR-2", by=dossier.candidate, now=IN_WINDOW)

    assert again.pk == first.pk
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("77.00")]


def test_a_payment_not_received_counts_for_nothing(dossier, reference_campaign, accounts_by_role):
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    decide_payment(
        payment=payment, received=False, by=accounts_by_role["central_officer"], now=IN_WINDOW
    )

    status = fee_status(Dossier.objects.get(pk=dossier.pk), reference_campaign.params())

    assert (status.balance.paid, status.outstanding) == (Decimal(0), Decimal("77.00"))


def test_a_rejected_scholarship_proof_makes_the_difference_due(
    candidate, dossier, reference_campaign, accounts_by_role
):
    """R3.6: the reduced rate was paid; staff refuse the proof; 55 € (77 - 22) is due."""
    dossier.scholarship_claimed = True
    dossier.save(update_fields=["scholarship_claimed"])
    upload = candidate.post(
        reverse("dossiers:upload", args=["scholarship_proof"]),
        {
            "file": SimpleUploadedFile("bourse.pdf", corpus.pdf(), "application/pdf"),
            "back": "frais",
        },
    )
    assert upload.url == reverse("dossiers:page", args=["frais"])  # back where it was sent from
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    assert payment.amount == Decimal("22.00")
    decide_payment(
        payment=payment, received=True, by=accounts_by_role["central_officer"], now=IN_WINDOW
    )

    Document.objects.filter(dossier=dossier, code="scholarship_proof").update(review="refused")

    page = candidate.get(reverse("dossiers:page", args=["frais"]))
    assert text_of(page, "fee-outstanding") == f"Reste dû 55,00{NBSP}€"
    candidate.post(reverse("dossiers:page", args=["frais"]), {"payment": "1", "reference": "VIR-2"})
    assert Payment.objects.latest("pk").amount == Decimal("55.00")


def claim_the_reduced_rate(client):
    """Post the fees page's scholarship form with the box ticked, following the redirect."""
    return client.post(
        reverse("dossiers:page", args=["frais"]),
        {"scholarship": "1", "scholarship_claimed": "on"},
        follow=True,
    )


def test_the_tariff_is_fixed_once_a_payment_is_declared(candidate, dossier):
    """R3.6: a paid candidate posting the other tariff is refused with a clear message; the
    page shows the tariff as fixed, with its field disabled and no save button."""
    declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)

    response = claim_the_reduced_rate(candidate)

    dossier.refresh_from_db()
    assert dossier.scholarship_claimed is False
    assert len(mail.outbox) == 0
    assert [str(message) for message in response.context["messages"]] == [
        "Un paiement est déjà enregistré : le tarif ne peut plus changer."
    ]
    page = response.content.decode()
    assert element_text(page, "tariff-fixed") == "Tarif fixé : un paiement est enregistré."
    assert "disabled" in element(page, "id_scholarship_claimed")[1]["input"]
    assert 'name="scholarship" value="1"' in page  # the form is there, without its button
    assert ">Enregistrer</button>" not in page


def test_the_tariff_changes_again_after_staff_mark_the_payment_not_received(candidate, dossier):
    """A payment staff marked not received no longer fixes the tariff (R3.6)."""
    payment = declare_payment(
        dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW
    )
    Payment.objects.filter(pk=payment.pk).update(state=Payment.State.REJECTED)

    response = claim_the_reduced_rate(candidate)

    dossier.refresh_from_db()
    assert dossier.scholarship_claimed is True
    assert [str(message) for message in response.context["messages"]] == ["Page enregistrée."]
    assert 'id="tariff-fixed"' not in response.content.decode()


def test_the_tariff_is_fixed_once_the_dossier_is_submitted(candidate, dossier):
    """R3.8: after submission the page says the tariff is fixed because the dossier is closed."""
    declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)
    submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)

    page = candidate.get(reverse("dossiers:page", args=["frais"])).content.decode()

    assert element_text(page, "tariff-fixed") == (
        "Tarif fixé : votre dossier n'est plus modifiable."
    )
    assert "disabled" in element(page, "id_scholarship_claimed")[1]["input"]


def test_fees_page_and_live_panel_use_one_money_format_in_english(candidate, reference_campaign):
    """Issue 8: "EUR 22: 44.00 €" had the amount twice in two formats."""
    choose(candidate, reference_campaign, 3)
    candidate.cookies["django_language"] = "en"

    page = candidate.get(reverse("dossiers:page", args=["frais"]))

    items = re.search(r'<div id="live-fee".*?<ul[^>]*>(.*?)</ul>', page.content.decode(), re.S)
    assert [squeeze(item) for item in re.findall(r"<li>(.*?)</li>", items.group(1), re.S)] == [
        "First formation chosen: €77.00",
        "Further formations (2 × €22.00): €44.00",
    ]
    assert text_of(page, "how-to-pay") == (
        "Pay by bank transfer Amount to transfer €121.00 Payee IMT Mines Albi-Carmaux — Agence "
        "comptable IBAN FR14 2004 1010 0505 0001 3M02 606 BIC PSSTFRPPTOU Reference to quote on "
        f"the transfer {Dossier.objects.get().reference} (your application number)"
    )


def test_the_scholarship_proof_is_uploaded_from_the_fees_page(candidate, dossier):
    """Issue 8: the live panel's note sends the proof to the fees page; the page takes it."""
    candidate.post(
        reverse("dossiers:page", args=["frais"]), {"scholarship": "1", "scholarship_claimed": "on"}
    )

    page = candidate.get(reverse("dossiers:page", args=["frais"]))

    form = re.search(
        r'<form method="post" enctype="multipart/form-data" action="([^"]+)"[^>]*>(.*?)</form>',
        page.content.decode(),
        re.S,
    )
    assert form.group(1) == reverse("dossiers:upload", args=["scholarship_proof"])
    assert '<input type="hidden" name="back" value="frais">' in form.group(2)
    assert (
        squeeze(
            re.search(r'<div id="live-fee".*?</div>', page.content.decode(), re.S).group(0)
        ).count("à la page « Frais de dossier »")
        == 1
    )


def test_after_submission_the_difference_of_a_rejected_proof_can_still_be_declared(
    candidate, dossier, reference_campaign, django_capture_on_commit_callbacks
):
    """R3.6 after R3.7: staff reject the proof of a submitted dossier; the 55 € can be declared."""
    dossier.scholarship_claimed = True
    dossier.save(update_fields=["scholarship_claimed"])
    candidate.post(
        reverse("dossiers:upload", args=["scholarship_proof"]),
        {
            "file": SimpleUploadedFile("bourse.pdf", corpus.pdf(), "application/pdf"),
            "back": "frais",
        },
    )
    declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)
    with django_capture_on_commit_callbacks(execute=True):
        candidate.post(reverse("dossiers:page", args=["depot"]))
    assert Dossier.objects.get(pk=dossier.pk).state == Dossier.State.SUBMITTED
    Document.objects.filter(dossier=dossier, code="scholarship_proof").update(review="refused")

    candidate.post(reverse("dossiers:page", args=["frais"]), {"payment": "1", "reference": "VIR-2"})

    # The 22 € still waits for staff: the 55 € joins it, one declaration per dossier (issue 9).
    assert [(p.amount, p.reference, p.state) for p in Payment.objects.order_by("pk")] == [
        (Decimal("77.00"), "VIR-1 + VIR-2", Payment.State.DECLARED)
    ]
