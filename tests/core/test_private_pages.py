"""Issue 10: every page and file of the candidate's area (/dossier/...) carries
``Cache-Control: private, no-store``, as documents already did: no browser history cache or
shared proxy keeps a dossier, a receipt or the data export."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from admissions.dossiers.pages import AT_SLUG
from admissions.dossiers.services import submit_dossier
from admissions.payments.services import decide_payment, declare_payment
from tests.core.test_url_access import all_url_patterns
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, reference_campaign, accounts_by_role, settings):
    """A submitted dossier with a confirmed payment, its candidate logged in."""
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    payment = declare_payment(
        dossier=dossier,
        amount=Decimal("77"),
        currency="EUR",
        reference="VIR-1",
        by=dossier.candidate,
        now=IN_WINDOW,
    )
    decide_payment(
        payment=payment, received=True, by=accounts_by_role["central_officer"], now=IN_WINDOW
    )
    submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
    client.force_login(dossier.candidate)
    return client, payment


def candidate_area_paths(payment_pk: int) -> list[str]:
    """Every route of the candidate's area, filled with real values (every dossier page)."""
    paths = []
    for _name, route, _callback in all_url_patterns():
        if not route.startswith("dossier/"):
            continue
        if "<slug:slug>" in route:
            paths += [f"/dossier/{slug}/" for slug in AT_SLUG]
            continue
        filled = (
            route.replace("<int:pk>", str(payment_pk))
            .replace("<str:code>", "cv")
            .replace("<int:session_id>", "1")  # no such session: the answer must be private too
        )
        assert not re.search(r"<\w", filled), filled
        paths.append("/" + filled)
    return paths


def test_every_candidate_page_and_file_is_private_and_not_stored(submitted):
    client, payment = submitted
    paths = candidate_area_paths(payment.pk)

    answers = {path: client.get(path) for path in paths}

    assert len(paths) >= 20
    cache_control = {path: response["Cache-Control"] for path, response in answers.items()}
    assert cache_control == dict.fromkeys(paths, "private, no-store")
    for path in (
        "/dossier/",
        "/dossier/identite/",
        "/dossier/recu.pdf",
        "/dossier/mes-donnees.zip",
        f"/dossier/paiements/{payment.pk}/recu.pdf",
        "/dossier/messages/",
    ):
        assert answers[path].status_code == 200, path


def test_a_saved_page_redirect_is_private_too(submitted):
    client, _payment = submitted

    response = client.post(reverse("dossiers:page", args=["identite"]), {"last_name": "Martin"})

    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_keep_their_own_caching(client, reference_campaign):
    assert "Cache-Control" not in client.get(reverse("home"))
