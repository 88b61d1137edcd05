"""The staff dossier page and the verdict forms (R4.1, R9.1, R9.2), and what the candidate
sees of the check (R3.6, R3.8)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from admissions.accounts.models import RoleGrant, User
from admissions.audit.services import record
from admissions.campaigns.models import School
from admissions.documents.models import Document
from admissions.payments.services import declare_payment
from admissions.verification.models import DossierCheck
from admissions.verification.services import decide_dossier, review_document
from tests.helpers import page_text
from tests.html_text import element_text
from tests.payments.test_outstanding import cells, text_of
from tests.verification.helpers import IN_WINDOW, UNTIL, accept_all, another_submitted, refuse

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()


def dossier_url(dossier) -> str:
    return reverse("verification:dossier", args=[dossier.reference])


def flash(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_central_officer_sees_the_page_with_its_verdict_forms(client, submitted, officer):
    client.force_login(officer)

    response = client.get(dossier_url(submitted))

    forms = re.findall(r'<form method="post" action="([^"]+)"', response.content.decode())
    assert response.status_code == 200
    assert sorted(set(forms) - {reverse("account_logout"), reverse("set_language")}) == sorted(
        [
            reverse("verification:review_document", args=[submitted.reference, document.pk])
            for document in submitted.documents.all()
        ]
        + [
            reverse("verification:notify", args=[submitted.reference]),
            reverse("verification:decide", args=[submitted.reference]),
        ]
    )


def test_a_committee_member_does_not_reach_a_dossier_not_yet_forwarded(
    client, submitted, accounts_by_role
):
    client.force_login(accounts_by_role["committee_member"])

    assert client.get(dossier_url(submitted)).status_code == 404


def test_school_staff_read_the_page_without_any_verdict_form(client, submitted, accounts_by_role):
    client.force_login(accounts_by_role["school_officer"])

    response = client.get(dossier_url(submitted))

    forms = re.findall(r'<form method="post" action="([^"]+)"', response.content.decode())
    assert (response.status_code, sorted(forms)) == (
        200,
        sorted([reverse("account_logout"), reverse("set_language")]),
    )
    assert element_text(response.content.decode(), "verdict-title") == (
        "Vérification administrative"
    )


@pytest.mark.parametrize("role", ["school_officer", "committee_member"])
def test_school_staff_cannot_post_a_verdict(client, submitted, accounts_by_role, role):
    client.force_login(accounts_by_role[role])

    response = client.post(
        reverse("verification:decide", args=[submitted.reference]), {"verdict": "recevable"}
    )

    assert (response.status_code, DossierCheck.objects.count()) == (403, 0)


def test_staff_of_another_school_get_404_everywhere(client, submitted):
    elsewhere = School.objects.create(code="ailleurs", name="Ailleurs")
    outsider = User.objects.create_user("outsider@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=outsider, role="central_officer", school=elsewhere)
    cv = submitted.documents.get(code="cv")
    client.force_login(outsider)

    statuses = [
        client.get(dossier_url(submitted)).status_code,
        client.get(
            reverse("verification:document_page", args=[submitted.reference, cv.pk, 1])
        ).status_code,
        client.get(
            reverse("verification:document_original", args=[submitted.reference, cv.pk])
        ).status_code,
        client.post(
            reverse("verification:review_document", args=[submitted.reference, cv.pk]),
            {"verdict": "valid"},
        ).status_code,
        client.post(
            reverse("verification:decide", args=[submitted.reference]), {"verdict": "recevable"}
        ).status_code,
    ]

    assert statuses == [404] * 5
    assert Document.objects.get(pk=cv.pk).review == "unchecked"


def test_a_candidate_reaches_no_staff_page(client, submitted):
    client.force_login(submitted.candidate)

    assert client.get(dossier_url(submitted)).status_code == 403


def test_refusing_a_document_through_the_form(client, submitted, officer):
    cv = submitted.documents.get(code="cv")
    client.force_login(officer)

    response = client.post(
        reverse("verification:review_document", args=[submitted.reference, cv.pk]),
        {
            "verdict": "refused",
            "reason_code": "mauvaise-piece",
            "replace_until": "2021-03-20T18:00",
            "seen": cv.uploaded_at.isoformat(),
        },
        follow=True,
    )

    cv.refresh_from_db()
    assert (cv.review, cv.refusal_reason_code, cv.replace_until.isoformat()) == (
        "refused",
        "mauvaise-piece",
        "2021-03-20T17:00:00+00:00",
    )
    assert flash(response) == ["Verdict enregistré."]


def test_a_refusal_without_reason_says_so_and_keeps_the_document(client, submitted, officer):
    cv = submitted.documents.get(code="cv")
    client.force_login(officer)

    response = client.post(
        reverse("verification:review_document", args=[submitted.reference, cv.pk]),
        {"verdict": "refused", "reason_code": "", "reason_text": ""},
        follow=True,
    )

    assert flash(response) == [
        "Indiquez le motif du refus : le candidat le lira. Rien n'a été enregistré."
    ]
    assert Document.objects.get(pk=cv.pk).review == "unchecked"


def test_a_malformed_date_says_so(client, submitted, officer):
    cv = submitted.documents.get(code="cv")
    client.force_login(officer)

    response = client.post(
        reverse("verification:review_document", args=[submitted.reference, cv.pk]),
        {"verdict": "refused", "reason_text": "Illisible.", "replace_until": "demain"},
        follow=True,
    )

    assert flash(response) == ["La date limite de remplacement n'est pas une date valide."]


def test_a_stale_decision_form_names_who_decided(client, submitted, officer, accounts_by_role):
    accept_all(submitted, officer)
    decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")
    client.force_login(accounts_by_role["platform_admin"])

    response = client.post(
        reverse("verification:decide", args=[submitted.reference]),
        {"verdict": "refused", "reason": "Incomplet."},
        follow=True,
    )

    assert flash(response) == [
        "Ce dossier a déjà été décidé (Recevable, transmis à l'école) par "
        "central_officer@example.org le 1er mars 2021 à 10 h : rien n'a été enregistré."
    ]
    assert DossierCheck.objects.get().verdict == "recevable"


def test_after_a_verdict_next_dossier_leads_to_the_next_one(
    client, submitted, officer, reference_campaign
):
    following = another_submitted(
        reference_campaign, "b@example.org", IN_WINDOW + timedelta(hours=1)
    )
    accept_all(submitted, officer)
    client.force_login(officer)

    client.post(
        reverse("verification:decide", args=[submitted.reference]), {"verdict": "recevable"}
    )
    page = client.get(dossier_url(submitted))
    first = client.get(reverse("verification:next"))

    link = re.search(r'id="next-dossier" href="([^"]+)"', page.content.decode())
    assert (link and link.group(1), first.url) == (dossier_url(following), dossier_url(following))


def test_the_audit_trail_shows_who_when_what_why(client, submitted, officer):
    refuse(submitted, "cv", officer, reason="CV illisible.")
    client.force_login(officer)

    response = client.get(dossier_url(submitted))

    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
        response.content.decode(),
    )
    assert rows[-1] == (
        "1er mars 2021 à 10 h",
        "central_officer@example.org",
        "Verdict sur une pièce — Curriculum vitae — refusée",
        "CV illisible.",
    )


def test_the_audit_trail_in_english(client, submitted, officer):
    refuse(submitted, "cv", officer, reason="CV illisible.")
    client.force_login(officer)

    client.cookies.load({"django_language": "en"})
    response = client.get(dossier_url(submitted))

    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
        response.content.decode(),
    )
    assert rows[-1][2] == "Verdict on a document — Curriculum vitae — refused"


@pytest.mark.parametrize(
    "language,author,action",
    [
        ("fr", "plateforme", "Résultat publié au candidat"),
        ("en", "platform", "Result published to the applicant"),
    ],
)
def test_the_audit_trail_names_the_platform_in_the_pages_language(
    client, submitted, officer, language, author, action
):
    record(None, "committee.decision.published", submitted, at=IN_WINDOW + timedelta(days=1))
    client.force_login(officer)
    client.cookies.load({"django_language": language})

    response = client.get(dossier_url(submitted))

    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
        response.content.decode(),
    )
    assert rows[-1][1:3] == (author, action)


# --- What the candidate sees ---------------------------------------------------------------


def candidate_client(client, dossier, language="fr"):
    client.force_login(dossier.candidate)
    if language == "en":
        client.cookies.load({"django_language": "en"})
    return client


@pytest.mark.parametrize(
    "language,expected",
    [
        (
            "fr",
            "Votre dossier est recevable : il est transmis à la commission d'admissibilité de l'école.",
        ),
        (
            "en",
            "Your application is admissible for review: it has been forwarded to the school's admissibility committee.",
        ),
    ],
)
def test_the_candidate_reads_recevable_on_the_overview(
    client, submitted, officer, language, expected
):
    accept_all(submitted, officer)
    decide_dossier(dossier=submitted, by=officer, now=IN_WINDOW, verdict="recevable")

    page = candidate_client(client, submitted, language).get(reverse("dossiers:overview"))

    assert element_text(page.content.decode(), "check-verdict") == expected


@pytest.mark.parametrize(
    "language,expected",
    [
        ("fr", f"Refus de pré-admissibilité Motif{NBSP}: Relevés manquants."),
        ("en", "Pre-admissibility refused Reason: Relevés manquants."),
    ],
)
def test_the_candidate_reads_the_refusal_and_its_reason(
    client, submitted, officer, language, expected
):
    decide_dossier(
        dossier=submitted, by=officer, now=IN_WINDOW, verdict="refused", reason="Relevés manquants."
    )

    page = candidate_client(client, submitted, language).get(reverse("dossiers:overview"))

    assert text_of(page, "check-verdict") == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_candidate_sees_the_refused_item_its_reason_and_date(
    client, submitted, officer, language
):
    refuse(submitted, "cv", officer, reason="CV illisible.")
    candidate = candidate_client(client, submitted, language)

    overview = candidate.get(reverse("dossiers:overview"))
    uploads = candidate.get(reverse("dossiers:page", args=["pieces"]))

    expected = {
        "fr": f"Curriculum vitae{NBSP}: CV illisible. — avant le 11 mars 2021 à 10 h",
        "en": "Curriculum vitae: CV illisible. — before 11 March 2021 at 10:00",
    }[language]
    assert text_of(overview, "to-replace-items") == expected
    assert (
        re.search(r'action="/dossier/pieces/cv/envoyer"', uploads.content.decode()) is not None
    )  # the slot is open again


def test_after_the_date_the_candidate_can_no_longer_replace(client, submitted, officer, settings):
    refuse(submitted, "cv", officer)
    settings.CLOCK_AT = UNTIL.isoformat()

    uploads = candidate_client(client, submitted).get(reverse("dossiers:page", args=["pieces"]))

    assert re.search(r'action="/dossier/pieces/cv/envoyer"', uploads.content.decode()) is None


def test_a_refused_scholarship_proof_makes_the_difference_due_on_both_pages(
    client, reference_campaign, accounts_by_role, officer
):
    """R3.6: paid the reduced 22 €, the proof refused by the service: 55 € more is due, on the
    candidate's fee page and on the payments desk."""
    from admissions.dossiers.services import open_dossier, submit_dossier
    from tests.dossiers.helpers import fill_pages, received_recommendations, upload_everything

    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    dossier.scholarship_claimed = True
    dossier.save(update_fields=["scholarship_claimed"])
    fill_pages(dossier, reference_campaign)
    upload_everything(dossier, reference_campaign)
    received_recommendations(dossier)
    declare_payment(dossier=dossier, reference="VIR-1", by=dossier.candidate, now=IN_WINDOW)
    submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)

    review_document(
        document=dossier.documents.get(code="scholarship_proof"),
        by=officer,
        now=IN_WINDOW,
        verdict="refused",
        reason_code="bourse-annee",
        replace_until=UNTIL,
    )

    fees = candidate_client(client, dossier).get(reverse("dossiers:page", args=["frais"]))
    client.force_login(officer)
    desk = client.get(reverse("payments:pending"))
    assert text_of(fees, "fee-outstanding") == f"Reste dû 55,00{NBSP}€"
    assert cells(desk, dossier.reference)[2:4] == [f"77,00{NBSP}€", f"55,00{NBSP}€"]
    assert page_text(client.get(dossier_url(dossier))).count("Reste dû") == 1


def test_a_refused_verdict_says_why_inside_the_document_it_concerns(client, submitted, officer):
    """The redirect lands on the document (#doc-N): its message is shown there, not only at the
    top of a long page the officer no longer sees."""
    cv = submitted.documents.get(code="cv")
    client.force_login(officer)

    response = client.post(
        reverse("verification:review_document", args=[submitted.reference, cv.pk]),
        {"verdict": "refused", "reason_code": "", "reason_text": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith(f"#doc-{cv.pk}")
    assert "Indiquez le motif du refus" in element_text(response.content.decode(), f"doc-{cv.pk}")


def test_after_the_decision_its_message_and_the_next_dossier_sit_in_the_verdict_section(
    client, submitted, officer, reference_campaign
):
    following = another_submitted(
        reference_campaign, "b@example.org", IN_WINDOW + timedelta(hours=1)
    )
    accept_all(submitted, officer)
    client.force_login(officer)

    response = client.post(
        reverse("verification:decide", args=[submitted.reference]),
        {"verdict": "recevable"},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#verdict")
    assert "Décision enregistrée" in element_text(page, "verdict")
    assert f"Dossier suivant à vérifier : {following.reference}" in element_text(page, "verdict")
    assert page.count("Décision enregistrée") == 1
