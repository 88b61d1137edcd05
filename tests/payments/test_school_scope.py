"""The payments and support desks stop at the schools of the staff grant (R8.4, R3.9, R9.2).

School A is the reference campaign, school B a copy under other codes; each has one candidate
with a declared payment and a message. A central officer of school B must neither see nor act
on school A's rows; one for every school handles both."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from admissions.accounts.models import Role, RoleGrant, User
from admissions.core import demo
from admissions.dossiers.services import open_dossier
from admissions.payments.models import Payment
from admissions.payments.services import PaymentError, decide_payment, declare_payment
from admissions.support.models import Message
from admissions.support.services import SupportError, post_message
from tests.helpers import page_text
from tests.schools import load_school_campaign

pytestmark = pytest.mark.django_db

NOW = datetime(2021, 2, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def desks(reference_campaign, frozen_clock):
    campaign_b = load_school_campaign("ecole-b", "ecole-b-2021")
    rows = {}
    for key, campaign in (("a", reference_campaign), ("b", campaign_b)):
        candidate = User.objects.create_user(f"candidate-{key}@example.org", "a-long-password-1")
        dossier = open_dossier(candidate=candidate, campaign=campaign, now=NOW)
        demo.fill_pages(dossier, campaign, now=NOW, last_name=f"Nom {key}")
        payment = declare_payment(
            dossier=dossier,
            reference=f"VIR-{key.upper()}",
            by=candidate,
            now=NOW,
            amount=77,
            currency="EUR",
        )
        post_message(
            dossier=dossier, author=candidate, body=f"Question {key}", from_staff=False, now=NOW
        )
        officer = User.objects.create_user(f"officer-{key}@example.org", "a-long-password-1")
        RoleGrant.objects.create(user=officer, role=Role.CENTRAL_OFFICER, school=campaign.school)
        rows[key] = {"dossier": dossier, "payment": payment, "officer": officer}
    return rows


def test_the_payments_desk_lists_the_officers_school_only(client, desks):
    client.force_login(desks["b"]["officer"])

    page = page_text(client.get(reverse("payments:pending")))

    assert (desks["a"]["dossier"].reference in page, desks["b"]["dossier"].reference in page) == (
        False,
        True,
    )


def test_an_officer_of_school_b_cannot_decide_a_payment_of_school_a(client, desks):
    payment = desks["a"]["payment"]
    client.force_login(desks["b"]["officer"])

    response = client.post(reverse("payments:decide", args=[payment.pk]), {"decision": "confirm"})

    assert response.status_code == 404
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.DECLARED


def test_an_officer_for_every_school_decides_both(client, desks):
    everywhere = User.objects.create_user("central@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=everywhere, role=Role.CENTRAL_OFFICER, school=None)
    client.force_login(everywhere)

    for key in ("a", "b"):
        payment = desks[key]["payment"]
        client.post(reverse("payments:decide", args=[payment.pk]), {"decision": "confirm"})

    assert set(Payment.objects.values_list("state", flat=True)) == {Payment.State.CONFIRMED}


def test_decide_payment_refuses_an_officer_of_another_school(desks):
    with pytest.raises(PaymentError):
        decide_payment(
            payment=desks["a"]["payment"], received=True, by=desks["b"]["officer"], now=NOW
        )

    assert Payment.objects.get(pk=desks["a"]["payment"].pk).state == Payment.State.DECLARED


def test_the_support_desk_lists_and_opens_the_officers_school_only(client, desks):
    client.force_login(desks["b"]["officer"])

    listing = page_text(client.get(reverse("support:staff_list")))
    other = client.get(reverse("support:staff_thread", args=[desks["a"]["dossier"].reference]))
    own = client.get(reverse("support:staff_thread", args=[desks["b"]["dossier"].reference]))

    assert (
        desks["a"]["dossier"].reference in listing,
        desks["b"]["dossier"].reference in listing,
    ) == (
        False,
        True,
    )
    assert (other.status_code, own.status_code) == (404, 200)


def test_an_officer_of_school_b_cannot_answer_a_thread_of_school_a(client, desks):
    dossier = desks["a"]["dossier"]
    client.force_login(desks["b"]["officer"])

    response = client.post(reverse("support:staff_thread", args=[dossier.reference]), {"body": "R"})

    assert response.status_code == 404
    assert Message.objects.filter(dossier=dossier, from_staff=True).count() == 0


def test_post_message_refuses_staff_of_another_school_and_another_candidate(desks):
    dossier = desks["a"]["dossier"]

    with pytest.raises(SupportError):
        post_message(
            dossier=dossier, author=desks["b"]["officer"], body="R", from_staff=True, now=NOW
        )
    with pytest.raises(SupportError):
        post_message(
            dossier=dossier,
            author=desks["b"]["dossier"].candidate,
            body="Q",
            from_staff=False,
            now=NOW,
        )

    assert Message.objects.filter(dossier=dossier).count() == 1
