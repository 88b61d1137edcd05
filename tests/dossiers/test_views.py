"""The candidate's dossier through its pages (R3.1-R3.4, R3.7, R3.8, R9.2)."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from admissions.accounts.models import User
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import open_dossier, submit_dossier
from tests.documents import corpus
from tests.dossiers.helpers import (
    IN_WINDOW,
    complete_dossier,
    fill_pages,
    received_recommendations,
    submitted_with_pending_transcript,
)
from tests.html_text import element_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


def test_overview_opens_the_dossier_and_lists_what_is_missing(candidate_client, reference_campaign):
    response = candidate_client.get(reverse("dossiers:overview"))

    assert response.status_code == 200
    assert Dossier.objects.count() == 1
    assert (
        "Identité et coordonnées\u00a0: la civilité, le nom, le prénom" in response.content.decode()
    )


def test_identity_page_keeps_what_was_typed_when_a_field_is_wrong(
    candidate_client, reference_campaign
):
    url = reverse("dossiers:page", args=["identite"])

    response = candidate_client.post(
        url, {"last_name": "Martin", "first_name": "Camille", "birth_date": "1850-01-01"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Martin"' in page
    assert "Cette date de naissance n&#x27;est pas plausible." in page
    assert 'href="#id_birth_date"' in page  # the error summary links to the field


def test_identity_page_saves_on_its_own(candidate_client, reference_campaign):
    url = reverse("dossiers:page", args=["identite"])

    response = candidate_client.post(url, {"last_name": "Martin", "first_name": "Camille"})

    assert response.status_code == 302
    assert Dossier.objects.get().last_name == "Martin"


@pytest.mark.parametrize(
    ("slug", "data", "action"),
    [
        ("identite", {"last_name": "Martin", "first_name": "Camille"}, "dossiers.identity.saved"),
        (
            "experience",
            {
                "experiences-TOTAL_FORMS": "1",
                "experiences-INITIAL_FORMS": "0",
                "experiences-0-employer": "Atelier",
                "experiences-0-position": "Technicienne",
                "experiences-0-started_on": "2019-01-01",
            },
            "dossiers.experience.saved",
        ),
        ("formations", {"notice_acknowledged": "on"}, "dossiers.formations.saved"),
        ("frais", {"scholarship": "1", "scholarship_claimed": "on"}, "dossiers.fees.tariff_saved"),
    ],
)
def test_a_saved_page_marks_the_dossier_changed_and_audits_it(
    candidate_client, reference_campaign, accounts_by_role, slug, data, action
):
    from datetime import timedelta

    from admissions.audit.models import AuditEntry

    data = (
        {**data, "options": [reference_campaign.options_on_offer()[0].code]}
        if slug == "formations"
        else data
    )
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"],
        campaign=reference_campaign,
        now=IN_WINDOW - timedelta(days=1),
    )

    response = candidate_client.post(reverse("dossiers:page", args=[slug]), data)

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.updated_at == IN_WINDOW
    assert AuditEntry.objects.filter(action=action, target_id=str(dossier.pk)).count() == 1


def test_fee_is_shown_live_from_the_formations_chosen(candidate_client, reference_campaign):
    options = [option.code for option in reference_campaign.options_on_offer()[:2]]

    candidate_client.post(
        reverse("dossiers:page", args=["formations"]),
        {"options": options, "notice_acknowledged": "on"},
    )
    page = candidate_client.get(reverse("dossiers:page", args=["frais"])).content.decode()

    # 77 + 22 for a second formation (R3.6)
    assert element_text(page, "live-fee-total") == "Total : 99,00 € (non remboursables)"
    assert Dossier.objects.get().notice_acknowledged_at is not None


def test_upload_refused_by_content_keeps_the_previous_file(candidate_client, reference_campaign):
    url = reverse("dossiers:upload", args=["photo"])
    candidate_client.post(
        url, {"file": SimpleUploadedFile("me.jpg", corpus.jpeg(600, 800), "image/jpeg")}
    )
    first = Document.objects.get(code="photo")

    response = candidate_client.post(
        url,
        {"file": SimpleUploadedFile("me.jpg", corpus.grey_jpeg(600, 800), "image/jpeg")},
        follow=True,
    )

    assert "couleur" in response.content.decode()
    assert Document.objects.get(code="photo").file.name == first.file.name


def test_oversized_photo_is_scaled_down_only_after_the_candidate_approves(
    candidate_client, reference_campaign
):
    from PIL import Image

    response = candidate_client.post(
        reverse("dossiers:upload", args=["photo"]),
        {"file": SimpleUploadedFile("me.jpg", corpus.jpeg(1200, 900), "image/jpeg")},
    )
    assert response["Location"] == reverse("dossiers:photo_preview")
    assert not Document.objects.filter(code="photo").exists()
    preview = candidate_client.get(reverse("dossiers:photo_preview_file"))
    assert preview["Content-Type"] == "image/jpeg"

    candidate_client.post(reverse("dossiers:photo_preview"), {"decision": "use"})

    document = Document.objects.get(code="photo")
    with document.file.open("rb") as stored:
        assert Image.open(stored).size == (900, 675)


def test_cancelled_photo_preview_stores_nothing(candidate_client, reference_campaign):
    candidate_client.post(
        reverse("dossiers:upload", args=["photo"]),
        {"file": SimpleUploadedFile("me.jpg", corpus.jpeg(1200, 900), "image/jpeg")},
    )

    candidate_client.post(reverse("dossiers:photo_preview"), {"decision": "cancel"})

    assert not Document.objects.filter(code="photo").exists()
    assert candidate_client.get(reverse("dossiers:photo_preview_file")).status_code == 404


def test_identity_card_front_and_back_become_one_document(candidate_client, reference_campaign):
    from pypdf import PdfReader

    candidate_client.post(
        reverse("dossiers:upload", args=["identity_card"]),
        {
            "file": [
                SimpleUploadedFile("recto.jpg", corpus.jpeg(800, 500), "image/jpeg"),
                SimpleUploadedFile("verso.png", corpus.png(800, 500), "image/png"),
            ]
        },
    )

    document = Document.objects.get(code="identity_card")
    assert document.format == "pdf"
    with document.file.open("rb") as stored:
        assert len(PdfReader(stored).pages) == 2


def test_a_refused_page_among_several_is_named(candidate_client, reference_campaign):
    response = candidate_client.post(
        reverse("dossiers:upload", args=["identity_card"]),
        {
            "file": [
                SimpleUploadedFile("recto.jpg", corpus.jpeg(800, 500), "image/jpeg"),
                SimpleUploadedFile("verso.gif", corpus.gif(), "image/gif"),
            ]
        },
        follow=True,
    )

    assert "Le fichier n° 2 n&#x27;a pas été accepté." in response.content.decode()
    assert not Document.objects.filter(code="identity_card").exists()


def test_a_text_file_named_pdf_is_refused(candidate_client, reference_campaign):
    url = reverse("dossiers:upload", args=["cv"])

    response = candidate_client.post(
        url,
        {"file": SimpleUploadedFile("cv.pdf", b"hello, I am not a PDF", "application/pdf")},
        follow=True,
    )

    assert "Ce fichier n&#x27;a pas été accepté." in response.content.decode()
    assert not Document.objects.filter(code="cv").exists()


def test_document_is_served_with_its_stored_type_and_nosniff(candidate_client, reference_campaign):
    candidate_client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("cv.png", corpus.png(), "application/pdf")},
    )

    response = candidate_client.get(reverse("dossiers:document_file", args=["cv"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"  # judged by content, not by the declared type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="cv.png"'


def test_document_is_served_under_its_judged_format_never_the_candidates_extension(
    candidate_client, reference_campaign
):
    """Issue 10: a PDF uploaded as poly.html came back as poly.html; an older row still may."""
    candidate_client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("poly.html", corpus.pdf(), "text/html")},
    )
    assert Document.objects.get(code="cv").original_name == "poly.pdf"
    Document.objects.filter(code="cv").update(original_name="poly.html", content_type="text/html")

    response = candidate_client.get(reverse("dossiers:document_file", args=["cv"]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="poly.pdf"'


def test_web_page_holding_a_pdf_header_is_refused_at_upload(candidate_client, reference_campaign):
    response = candidate_client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("poly.pdf", corpus.polyglot_html_pdf(), "application/pdf")},
        follow=True,
    )

    assert slot_error(response, "cv") == (
        "Ce fichier n'a pas été accepté. Votre fichier est une page web (HTML) ; formats "
        "acceptés : JPEG, PNG ou PDF. Enregistrez-le ou exportez-le en JPEG, PNG ou PDF (le nom "
        "du fichier ne suffit pas) et envoyez-le à nouveau."
    )
    assert not Document.objects.filter(code="cv").exists()


def test_a_candidate_never_reaches_another_candidates_file(client, reference_campaign, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    alice = User.objects.create_user("alice@example.org", "pw")
    bob = User.objects.create_user("bob@example.org", "pw")
    client.force_login(alice)
    client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("cv.pdf", corpus.pdf(), "application/pdf")},
    )
    client.force_login(bob)

    response = client.get(reverse("dossiers:document_file", args=["cv"]))

    assert response.status_code == 404


def test_submission_lists_every_missing_item_with_a_link(candidate_client, reference_campaign):
    response = candidate_client.get(reverse("dossiers:page", args=["depot"]))

    page = response.content.decode()
    assert 'href="/dossier/identite/"' in page
    assert 'href="/dossier/pieces/"' in page
    assert "submit-dossier" not in page


def test_the_formations_chosen_are_read_in_one_query_however_many(
    reference_campaign, accounts_by_role, django_assert_num_queries
):
    from admissions.dossiers.models import FormationChoice
    from admissions.dossiers.selectors import formation_codes

    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    options = list(reference_campaign.options_on_offer()[:3])
    FormationChoice.objects.bulk_create(
        FormationChoice(dossier=dossier, option=option, rank=rank)
        for rank, option in enumerate(options, 1)
    )
    dossier = Dossier.objects.get(pk=dossier.pk)  # nothing prefetched, as on a save or an upload

    with django_assert_num_queries(1):
        codes = formation_codes(dossier)
    with django_assert_num_queries(0):  # read once per request
        formation_codes(dossier)

    assert codes == tuple(option.code for option in options)


def test_submitted_dossier_is_read_only(client, reference_campaign, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
    client.force_login(dossier.candidate)

    client.post(reverse("dossiers:page", args=["identite"]), {"last_name": "Changed"})
    client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("cv.pdf", corpus.pdf(), "application/pdf")},
    )

    dossier.refresh_from_db()
    assert dossier.last_name == "Martin"
    assert Document.objects.get(dossier=dossier, code="cv").original_name == "cv.pdf"


def test_receipt_pdf_is_downloadable_after_submission(
    client, reference_campaign, accounts_by_role, settings
):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
    client.force_login(dossier.candidate)

    response = client.get(reverse("dossiers:receipt"))

    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"


def test_fill_pages_makes_every_page_but_referees_complete(reference_campaign, accounts_by_role):
    from admissions.dossiers.selectors import page_states

    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )

    states = {
        page.slug: page.complete for page in page_states(dossier, reference_campaign.params(), "fr")
    }
    assert states["identite"] is True
    assert states["formations"] is True
    assert states["pieces"] is False


def test_what_was_typed_survives_an_expired_session(
    client, reference_campaign, accounts_by_role, settings
):
    """R9.4: a save posted after the session expired is shown again, unsaved, after login."""
    from allauth.account.models import EmailAddress
    from django.contrib.sessions.models import Session

    settings.CLOCK_AT = IN_WINDOW.isoformat()
    user = accounts_by_role["candidate"]
    user.set_password("un-mot-de-passe-solide-42")
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    url = reverse("dossiers:page", args=["identite"])
    client.post(
        reverse("account_login"), {"login": user.email, "password": "un-mot-de-passe-solide-42"}
    )
    Session.objects.all().delete()  # the session expires while the page is open (issue 10)

    response = client.post(url, {"last_name": "Typed-before-expiry", "first_name": "Camille"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.post(
        reverse("account_login"), {"login": user.email, "password": "un-mot-de-passe-solide-42"}
    )
    page = client.get(url).content.decode()

    assert 'value="Typed-before-expiry"' in page
    assert "vos saisies ont été conservées" in page
    assert not Dossier.objects.filter(last_name="Typed-before-expiry").exists()
    assert 'value="Typed-before-expiry"' not in client.get(url).content.decode()  # shown once


def test_live_preview_recomputes_the_fee_without_saving(candidate_client, reference_campaign):
    """R3.6: the fee is shown live from what is typed; only "Enregistrer" saves."""
    options = [option.code for option in reference_campaign.options_on_offer()[:3]]

    response = candidate_client.post(
        reverse("dossiers:page", args=["formations"]),
        {"options": options},
        headers={"X-Live-Preview": "1"},
    )

    assert response.status_code == 200
    total = element_text(response.content.decode(), "live-fee-total")
    assert total == "Total : 121,00 € (non remboursables)"  # 77 + 2 x 22 (R3.6)
    assert "<html" not in response.content.decode()  # the panel alone
    assert not Dossier.objects.get().choices.exists()


def test_live_preview_explains_eligibility_from_the_typed_birth_date(
    candidate_client, reference_campaign
):
    """R3.2: a candidate aged 30 or more at the earliest contract date is warned as they type."""
    candidate_client.post(
        reverse("dossiers:page", args=["statut"]), {"status_sought": "apprentissage"}
    )

    response = candidate_client.post(
        reverse("dossiers:page", args=["identite"]),
        {"last_name": "Martin", "birth_date": "1990-01-01"},
        headers={"X-Live-Preview": "1"},
    )

    assert "Vous aurez 30 ans ou plus le 4 juillet 2021" in html.unescape(response.content.decode())
    assert Dossier.objects.get().birth_date is None
    assert Dossier.objects.get().last_name == ""


def test_live_preview_of_an_invalid_form_shows_the_saved_state(
    candidate_client, reference_campaign
):
    response = candidate_client.post(
        reverse("dossiers:page", args=["identite"]),
        {"birth_date": "not a date"},
        headers={"X-Live-Preview": "1"},
    )

    assert response.status_code == 200
    assert "live-title" in response.content.decode()


def test_the_notice_is_readable_on_the_platform_without_an_account(client, reference_campaign):
    """R3.1: the notice the candidate acknowledges is on the platform, without markup marks."""
    response = client.get(reverse("dossiers:notice"))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Une note inférieure ou égale à 4/20 à l'une de ces épreuves est éliminatoire." in page
    assert "**" not in page


def test_a_recommendation_asked_of_a_referee_shows_as_requested(
    candidate_client, reference_campaign
):
    from admissions.referees.models import Referee

    candidate_client.get(reverse("dossiers:overview"))
    dossier = Dossier.objects.get()
    Referee.objects.create(
        dossier=dossier,
        kind="professional",
        name="Tutrice",
        role="Maître d'apprentissage",
        email="tutrice@example.org",
        state="requested",
        requested_at=IN_WINDOW,
    )

    page = html.unescape(candidate_client.get(reverse("dossiers:overview")).content.decode())

    assert "Recommandation professionnelle — demandée au référent, en attente" in " ".join(
        page.split()
    )


def _submitted_with_pending_transcript(reference_campaign, accounts_by_role):
    return submitted_with_pending_transcript(accounts_by_role["candidate"], reference_campaign)


def test_the_pending_transcript_can_be_sent_after_submission_and_nothing_else(
    client, reference_campaign, accounts_by_role, settings
):
    """R3.8: after submission only the pending first-semester transcript may still come."""
    dossier = _submitted_with_pending_transcript(reference_campaign, accounts_by_role)
    settings.CLOCK_AT = "2021-03-20T10:00:00+01:00"  # after the close as well
    client.force_login(dossier.candidate)
    cv_before = Document.objects.get(dossier=dossier, code="cv").file.name

    client.post(
        reverse("dossiers:upload", args=["transcripts_current_year"]),
        {"file": SimpleUploadedFile("s1.pdf", corpus.pdf(), "application/pdf")},
    )
    client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("cv2.pdf", corpus.pdf(), "application/pdf")},
    )

    assert Document.objects.filter(dossier=dossier, code="transcripts_current_year").exists()
    assert not dossier.pending_documents.exists()
    assert Document.objects.get(dossier=dossier, code="cv").file.name == cv_before


def test_a_document_staff_asked_to_replace_can_be_replaced_after_submission(
    client, reference_campaign, accounts_by_role, settings
):
    """R3.8: items staff explicitly ask the candidate to replace stay open (the mechanism)."""
    dossier = _submitted_with_pending_transcript(reference_campaign, accounts_by_role)
    Document.objects.filter(dossier=dossier, code="cv").update(
        replacement_requested=True, review="refused"
    )
    settings.CLOCK_AT = "2021-03-20T10:00:00+01:00"
    client.force_login(dossier.candidate)

    client.post(
        reverse("dossiers:upload", args=["cv"]),
        {"file": SimpleUploadedFile("cv-corrige.pdf", corpus.pdf(), "application/pdf")},
    )

    replaced = Document.objects.get(dossier=dossier, code="cv")
    assert (replaced.original_name, replaced.replacement_requested, replaced.review) == (
        "cv-corrige.pdf",
        False,
        "unchecked",
    )


def test_professionalisation_dossiers_are_flagged_for_the_school_in_the_admin(
    client, reference_campaign, accounts_by_role
):
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    dossier.status_sought = Dossier.StatusSought.PROFESSIONALISATION
    dossier.save()
    admin_user = accounts_by_role["platform_admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)

    page = client.get(
        "/admin/dossiers/dossier/?status_sought=contrat_professionnalisation"
    ).content.decode()

    assert dossier.needs_school_follow_up is True
    assert dossier.reference in page
    assert 'alt="True"' in page


def test_a_candidate_downloads_their_own_data_and_documents(
    client, reference_campaign, accounts_by_role, settings
):
    """R9.3: the candidate can download their data; a referee's answer stays out of it (R3.5)."""
    import io
    import json
    import zipfile

    from admissions.referees.models import Recommendation

    settings.CLOCK_AT = IN_WINDOW.isoformat()
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    Recommendation.objects.update(strengths="SECRET-REFEREE-OPINION")
    client.force_login(dossier.candidate)

    response = client.get(reverse("dossiers:my_data"))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("donnees.json"))
    assert response["Content-Type"] == "application/zip"
    assert data["dossier"]["identity"]["last_name"] == "Martin"
    assert "pieces/cv.pdf" in archive.namelist()
    assert all(b"SECRET-REFEREE-OPINION" not in archive.read(name) for name in archive.namelist())


DOSSIER_PAGES = [
    "identite",
    "statut",
    "formations",
    "parcours",
    "experience",
    "pieces",
    "motivation",
    "frais",
    "depot",
]


@pytest.mark.parametrize("review", ["unchecked", "valid", "refused"])
def test_a_scholarship_holder_with_a_proof_opens_every_page(
    candidate_client, reference_campaign, accounts_by_role, review
):
    """Issue 8: the proof's review reached the fee rules through a member that did not exist."""
    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )
    candidate_client.post(
        reverse("dossiers:page", args=["frais"]), {"scholarship": "1", "scholarship_claimed": "on"}
    )
    candidate_client.post(
        reverse("dossiers:upload", args=["scholarship_proof"]),
        {"file": SimpleUploadedFile("bourse.pdf", corpus.pdf_of_size(10_000))},
    )
    Document.objects.filter(dossier=dossier, code="scholarship_proof").update(review=review)

    statuses = {
        slug: candidate_client.get(reverse("dossiers:page", args=[slug])).status_code
        for slug in DOSSIER_PAGES
    }
    statuses["overview"] = candidate_client.get(reverse("dossiers:overview")).status_code
    statuses["messages"] = candidate_client.get(reverse("support:candidate")).status_code

    assert Document.objects.filter(dossier=dossier, code="scholarship_proof").count() == 1
    assert set(statuses.values()) == {200}, statuses


def test_upload_throttle_refuses_the_31st_upload_in_ten_minutes(
    candidate_client, reference_campaign
):
    """Issue 10: judging files costs CPU and memory; 30 uploads per 10 minutes per account."""
    url = reverse("dossiers:upload", args=["cv"])
    for number in range(30):
        candidate_client.post(
            url, {"file": SimpleUploadedFile(f"cv{number}.pdf", corpus.pdf(), "application/pdf")}
        )
    stored = Document.objects.get(code="cv")

    response = candidate_client.post(
        url, {"file": SimpleUploadedFile("cv31.pdf", corpus.pdf(2), "application/pdf")}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Fichier enregistré."
    ] * 30
    assert slot_error(response, "cv") == (
        "Vous avez envoyé beaucoup de fichiers en peu de temps (30 en 10 minutes au plus). "
        "Réessayez dans 10 minute(s) : vos fichiers déjà enregistrés sont conservés."
    )
    assert Document.objects.get(code="cv").file.name == stored.file.name
    assert Document.objects.get(code="cv").pages == 1


def test_upload_throttle_counts_per_account_and_frees_up_as_time_passes(db):
    from datetime import timedelta

    from django.utils import timezone

    from admissions.documents.services import DocumentError, throttle_uploads

    now = timezone.now()
    for _ in range(30):
        throttle_uploads(user_id=1, files=1, now=now)

    with pytest.raises(DocumentError):
        throttle_uploads(user_id=1, files=1, now=now + timedelta(minutes=9))
    throttle_uploads(user_id=2, files=1, now=now)  # another account is not affected
    throttle_uploads(user_id=1, files=2, now=now + timedelta(minutes=10, seconds=1))


LEGAL_NAME_MESSAGE = (
    "Seuls les lettres (de toute écriture, accents compris), les espaces, les traits d'union et "
    "les apostrophes sont acceptés ici, comme sur une pièce d'identité (à retirer : {})."
)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "Camille 😀", LEGAL_NAME_MESSAGE.format("« 😀 »")),
        ("last_name", "Martin 2", LEGAL_NAME_MESSAGE.format("« 2 »")),
        ("birth_place", "Paris (75)", LEGAL_NAME_MESSAGE.format("« ( », « 7 », « 5 », « ) »")),
        (
            "last_name",
            "Martin\nBcc: victim@example.org",
            "Ce champ doit tenir sur une seule ligne, sans retour à la ligne, tabulation ni autre "
            "caractère de contrôle (trouvé : « U+000A »).",
        ),
        (
            "first_name",
            "Camille\u202enitraM",
            "Ce champ contient un caractère invisible de mise en forme (trouvé : « U+202E »), par "
            "exemple une inversion du sens d'écriture : retapez-le au clavier plutôt que de le "
            "copier-coller.",
        ),
        (
            "address",
            "1 rue de la Paix\r\nAppartement 3",
            "Ce champ doit tenir sur une seule ligne, sans retour à la ligne, tabulation ni autre "
            "caractère de contrôle (trouvé : « U+000D », « U+000A »).",
        ),
        (
            "city",
            "Albi\u200b",
            "Ce champ contient un caractère invisible de mise en forme (trouvé : « U+200B »), par "
            "exemple une inversion du sens d'écriture : retapez-le au clavier plutôt que de le "
            "copier-coller.",
        ),
    ],
)
def test_identity_page_refuses_characters_a_field_may_not_hold(
    candidate_client, reference_campaign, field, value, message
):
    """Issue 8 (names of letters only) and issue 10 (no control or invisible characters)."""
    data = {"last_name": "Martin", "first_name": "Camille", "city": "Albi", field: value}

    response = candidate_client.post(reverse("dossiers:page", args=["identite"]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert Dossier.objects.get().last_name == ""


def test_identity_page_accepts_names_and_places_in_any_script(candidate_client, reference_campaign):
    data = {
        "last_name": "N\u2019Diaye-Nguyễn",
        "first_name": "Zoë Дмитрий 李",
        "birth_place": "L'Haÿ-les-Roses",
        "address": "12 bis, rue de l'Égalité",
        "city": "Saint-Étienne",
        "phone": "+33 6 12 34 56 78",
    }

    response = candidate_client.post(reverse("dossiers:page", args=["identite"]), data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.last_name, dossier.first_name, dossier.birth_place) == (
        "N\u2019Diaye-Nguyễn",
        "Zoë Дмитрий 李",
        "L'Haÿ-les-Roses",
    )


def test_identity_page_says_what_a_name_may_hold_in_english(candidate_client, reference_campaign):
    candidate_client.cookies["django_language"] = "en"

    response = candidate_client.post(
        reverse("dossiers:page", args=["identite"]),
        {"last_name": "Martin", "first_name": "Camille 😀"},
    )

    assert response.context["form"].errors == {
        "first_name": [
            "Only letters (of any script, accents included), spaces, hyphens and apostrophes are "
            "accepted here, as on an identity document (to remove: “😀”)."
        ]
    }


def test_experience_and_payment_fields_refuse_line_breaks():
    from admissions.dossiers.forms import ExperienceForm, PaymentForm

    experience = ExperienceForm({"employer": "ACME\nBcc: x@example.org", "position": "Technicien"})
    payment = PaymentForm({"reference": "VIR-123\x00"})

    assert experience.errors["employer"] == [
        "Ce champ doit tenir sur une seule ligne, sans retour à la ligne, tabulation ni autre "
        "caractère de contrôle (trouvé : « U+000A »)."
    ]
    assert payment.is_valid() is False
    assert list(payment.errors) == ["reference"]


def slot_error(response, code: str) -> str | None:
    """The refusal shown next to the file input of slot ``code`` (issue 8), as a reader sees it."""
    import re

    found = re.search(
        rf'<p class="fr-error-text" id="slot-{code}-error">([^<]+)</p>', response.content.decode()
    )
    return html.unescape(found.group(1)).strip() if found else None
