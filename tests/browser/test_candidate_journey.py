"""A whole candidate journey in a real browser, from sign-up to the submission receipt.

The candidate signs up, confirms the email, answers every page, uploads the pieces (a refused
photo first), names two referees who answer through their personal links in a separate
browser (no account), pays, submits and downloads the receipt. axe-core runs on every page
and the test fails on any serious violation; each page is screenshotted into screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from admissions.rules.documents import Source
from tests.browser.axe import serious_violations
from tests.documents import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"
IN_WINDOW = "2021-03-01T10:00:00+01:00"
EMAIL = "camille.martin@example.org"
PASSWORD = "un-mot-de-passe-solide-42"
PDF = "application/pdf"


class Journey:
    """Screenshots and axe results, page after page, with a running number."""

    def __init__(self, prefix: str = "journey"):
        self.prefix = prefix
        self.count = 0
        self.violations: list[dict] = []
        SCREENSHOTS.mkdir(exist_ok=True)
        for old in SCREENSHOTS.glob(f"{prefix}-*.png"):  # a shorter run leaves no stale pages
            old.unlink()

    def check(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(
            path=str(SCREENSHOTS / f"{self.prefix}-{self.count:02d}-{name}.png"), full_page=True
        )
        for violation in serious_violations(page):
            self.violations.append({"page": name, "url": page.url, **violation})


def french_context(browser, live_server, **options):
    context = browser.new_context(locale="fr-FR", **options)
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    return context


def link_in(body: str, path_fragment: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path_fragment)}\S*", body)
    assert match, f"no {path_fragment} link in:\n{body}"
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def expect_ok(response) -> None:
    assert response is not None and response.ok, (
        f"{response.url if response else '?'}: {response and response.status}"
    )


def success_message(page) -> str:
    return page.locator("main .fr-alert").first.inner_text()


def tick(page, box) -> None:
    """Check a DSFR radio or checkbox as a person does: by clicking its label (it covers the box)."""
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    assert box.is_checked()


def upload_actions(page) -> list[str]:
    return page.locator("form.upload-form").evaluate_all(
        "forms => forms.map(f => f.getAttribute('action'))"
    )


def upload(page, action: str, files: list[tuple[str, bytes]], mime: str) -> None:
    form = page.locator(f'form.upload-form[action="{action}"]')
    form.locator("input[type=file]").set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, data in files]
    )
    with page.expect_navigation():
        form.get_by_role("button", name="Envoyer").click()


def pieces_to_upload(dossier, params) -> list[str]:
    """The code to upload for each slot of the documents page: its first alternative, if any."""
    from admissions.dossiers.selectors import upload_slots

    chosen: dict[str, str] = {}
    for code, slot in upload_slots(dossier, params).items():
        if (
            code == "photo"
            or code.startswith("motivation")
            or (code == slot.code and slot.alternatives)
        ):
            continue
        if slot.source == Source.UPLOAD:
            chosen.setdefault(slot.code, code)
    return list(chosen.values())


def sign_up_and_confirm(page, live_server, journey: Journey) -> None:
    expect_ok(page.goto(live_server.url + "/accounts/signup/"))
    journey.check(page, "signup")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Créer mon compte").click()
    journey.check(page, "signup-done")

    confirmations = [
        m for m in mail.outbox if EMAIL in m.to and "/accounts/confirm-email/" in m.body
    ]
    assert len(confirmations) == 1, [m.subject for m in mail.outbox]
    link = link_in(confirmations[0].body, "/accounts/confirm-email/")
    expect_ok(page.goto(live_server.url + path_of(link)))
    journey.check(page, "confirm-email")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/dossier/"), page.url


def test_a_candidate_applies_from_sign_up_to_receipt_without_serious_accessibility_violation(
    browser, live_server, reference_campaign, settings
):
    from admissions.documents.models import Document
    from admissions.dossiers.models import Dossier
    from admissions.referees.models import Referee

    settings.CLOCK_AT = IN_WINDOW
    settings.SITE_URL = live_server.url  # the links in the emails lead to this server
    mail.outbox.clear()
    journey = Journey()
    context = french_context(browser, live_server, accept_downloads=True)
    page = context.new_page()
    server_errors = []
    page.on(
        "response",
        lambda r: server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )

    # Sign-up, then the confirmation link from the email; it logs in and opens the dossier.
    sign_up_and_confirm(page, live_server, journey)
    journey.check(page, "overview")
    assert page.locator("h1").inner_text() == "Mon dossier de candidature"
    dossier = Dossier.objects.get(candidate__email=EMAIL)

    # 1. Identity.
    expect_ok(page.goto(live_server.url + "/dossier/identite/"))
    tick(page, page.get_by_label("Madame"))
    page.get_by_label("Nom de famille").fill("Martin")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Date de naissance").fill("2000-05-17")
    page.get_by_label("Lieu de naissance").fill("Albi")
    page.get_by_label("Nationalité").select_option("FR")
    page.get_by_label("Téléphone").fill("0563493045")
    page.get_by_label("Adresse", exact=True).fill("1 allée des Sciences")
    page.get_by_label("Code postal").fill("81000")
    page.get_by_label("Ville").fill("Albi")
    page.get_by_label("Pays de résidence").select_option("FR")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Page enregistrée" in success_message(page)
    journey.check(page, "identite")

    # 2. Status: apprenticeship.
    expect_ok(page.goto(live_server.url + "/dossier/statut/"))
    tick(page, page.get_by_label("Apprentissage"))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Page enregistrée" in success_message(page)
    journey.check(page, "statut")

    # 3. Formations: one option and the notice acknowledged.
    expect_ok(page.goto(live_server.url + "/dossier/formations/"))
    tick(page, page.locator("input[name=options]").first)
    tick(page, page.get_by_label("J'atteste avoir pris connaissance de la notice"))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Page enregistrée" in success_message(page)
    journey.check(page, "formations")
    dossier.refresh_from_db()
    assert dossier.choices.count() == 1 and dossier.notice_acknowledged_at is not None

    # 4. Education: a DUT obtained in 2020.
    expect_ok(page.goto(live_server.url + "/dossier/parcours/"))
    page.locator("[name=diplomas-0-type]").select_option("DUT")
    page.locator("[name=diplomas-0-speciality]").fill("Génie mécanique et productique")
    page.locator("[name=diplomas-0-institution]").fill("IUT de Toulouse")
    page.locator("[name=diplomas-0-year]").fill("2020")
    page.locator("[name=diplomas-0-obtained_on]").fill("2020-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Page enregistrée" in success_message(page)
    journey.check(page, "parcours")
    assert dossier.diplomas.get().speciality == "Génie mécanique et productique"

    # 5. Experience: optional, left empty.
    expect_ok(page.goto(live_server.url + "/dossier/experience/"))
    journey.check(page, "experience")

    # 6. Documents. A grey photo too large is refused, with the numbers; nothing changes.
    expect_ok(page.goto(live_server.url + "/dossier/pieces/"))
    journey.check(page, "pieces")
    actions = upload_actions(page)
    photo_action = "/dossier/pieces/photo/envoyer"
    assert photo_action in actions, actions
    photo_slot = page.locator(".upload-slot", has=page.locator(f'form[action="{photo_action}"]'))
    dimensions = "Votre photo fait 1200 x 900 px ; maximum 900 x 900."
    for check in page.locator(".upload-check").all():  # no error shown before any file is chosen
        expect(check).to_be_hidden()
    photo_slot.locator("input[type=file]").set_input_files(
        {"name": "photo-grise.jpg", "mimeType": "image/jpeg", "buffer": corpus.grey_jpeg(1200, 900)}
    )
    expect(photo_slot.locator(".upload-check")).to_have_text(dimensions)  # said before sending
    with page.expect_navigation():
        photo_slot.get_by_role("button", name="Envoyer").click()
    refusal = page.locator("main .fr-alert--error").inner_text()
    assert "Ce fichier n'a pas été accepté." in refusal, refusal
    assert dimensions in refusal and "la photo doit être en couleur" in refusal, refusal
    journey.check(page, "pieces-photo-refusee")
    assert not Document.objects.filter(dossier=dossier, code="photo").exists()
    assert "Fichier actuel" not in photo_slot.inner_text()
    assert photo_slot.get_by_label("Ajouter le fichier").count() == 1

    # A colour photo too large: the platform offers a scaled-down preview; cancelled, nothing changes.
    upload(page, photo_action, [("photo-grande.jpg", corpus.jpeg(1200, 900))], "image/jpeg")
    assert page.url.endswith("/dossier/photo/apercu"), page.url
    preview = page.get_by_role("img", name="Aperçu de votre photo réduite")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.naturalWidth") == 900
    journey.check(page, "pieces-photo-apercu")
    with page.expect_navigation():
        page.get_by_role("button", name="Annuler").click()
    assert page.url.endswith("/dossier/pieces/"), page.url
    assert not Document.objects.filter(dossier=dossier, code="photo").exists()
    assert "Fichier actuel" not in photo_slot.inner_text()

    # Fixed with a valid photo.
    upload(page, photo_action, [("photo.jpg", corpus.jpeg(600, 800))], "image/jpeg")
    assert "Fichier enregistré" in success_message(page)
    photo = Document.objects.get(dossier=dossier, code="photo")
    assert (photo.format, photo.original_name) == ("jpeg", "photo.jpg")
    assert "photo.jpg" in photo_slot.inner_text()
    # One file per remaining slot, in the first of its alternatives (the identity card front and
    # back as two files); the academic recommendation comes from the referee, not from here.
    for code in pieces_to_upload(dossier, reference_campaign.params()):
        action = f"/dossier/pieces/{code}/envoyer"
        assert action in actions, (action, actions)
        pages = 2 if code == "identity_card" else 1
        files = [(f"{code}-{n}.pdf", corpus.pdf()) for n in range(1, pages + 1)]
        upload(page, action, files, PDF)
        assert "Fichier enregistré" in success_message(page), (code, success_message(page))
        assert Document.objects.get(dossier=dossier, code=code).pages == pages
    journey.check(page, "pieces-completes")
    pieces_link = page.locator('nav a[href="/dossier/pieces/"]').text_content()
    assert "complet" in pieces_link and "à compléter" not in pieces_link, pieces_link

    # 7. Recommendations: an academic and a professional referee.
    expect_ok(page.goto(live_server.url + "/dossier/recommandations/"))
    journey.check(page, "recommandations")
    referees = {
        "academic": ("Claire Dupont", "Responsable du DUT GMP", "claire.dupont@example.edu"),
        "professional": ("Paul Bernard", "Maître d'apprentissage", "paul.bernard@example.com"),
    }
    for kind, (name, role, email) in referees.items():
        section = page.locator(f"#referee-{kind}")
        section.locator(f"[name={kind}-name]").fill(name)
        section.locator(f"[name={kind}-role]").fill(role)
        section.locator(f"[name={kind}-email]").fill(email)
        with page.expect_navigation():
            section.get_by_role("button", name="Envoyer la demande").click()
        assert f"{name} ({email})" in success_message(page)
    journey.check(page, "recommandations-demandees")

    # The referees have no account: their own browser, their link from the email.
    referee_context = french_context(browser, live_server)
    referee_page = referee_context.new_page()
    referee_page.on(
        "response",
        lambda r: server_errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    for kind, (_name, _role, email) in referees.items():
        requests = [m for m in mail.outbox if email in m.to]
        assert len(requests) == 1, [m.subject for m in mail.outbox]
        link = link_in(requests[0].body, "/recommandation/")
        expect_ok(referee_page.goto(link))
        assert "Camille Martin" in referee_page.locator("main").inner_text()
        journey.check(referee_page, f"referent-{kind}")
        referee_page.get_by_label("Depuis combien de temps").fill(
            "Deux ans, comme enseignant puis tuteur."
        )
        referee_page.get_by_label("Points forts").fill(
            "Rigueur, curiosité, sens du travail en équipe."
        )
        referee_page.get_by_label("Points à améliorer").fill("Prendre la parole en réunion.")
        tick(referee_page, referee_page.get_by_label("Très favorable"))
        with referee_page.expect_navigation():
            referee_page.get_by_role("button", name="Envoyer la recommandation").click()
        assert referee_page.locator("h1").inner_text() == "Recommandation reçue"
        journey.check(referee_page, f"referent-{kind}-recue")
    referee_context.close()
    assert set(Referee.objects.filter(dossier=dossier).values_list("state", flat=True)) == {
        "received"
    }

    expect_ok(page.goto(live_server.url + "/dossier/recommandations/"))
    journey.check(page, "recommandations-recues")

    # 8. Motivation letters.
    expect_ok(page.goto(live_server.url + "/dossier/motivation/"))
    journey.check(page, "motivation")
    letters = upload_actions(page)
    assert letters, "no motivation letter is asked for"
    for action in letters:
        upload(page, action, [(action.split("/")[-2] + ".pdf", corpus.pdf())], PDF)
        assert "Fichier enregistré" in success_message(page), (action, success_message(page))
    journey.check(page, "motivation-envoyee")

    # 9. Fees: the transfer is declared with its reference.
    expect_ok(page.goto(live_server.url + "/dossier/frais/"))
    journey.check(page, "frais")
    page.get_by_label("Référence de votre virement").fill("VIR-2021-0042")
    with page.expect_navigation():
        page.get_by_role("button", name="J'ai payé").click()
    assert "Paiement enregistré" in success_message(page)
    journey.check(page, "frais-paye")
    assert dossier.payments.get().reference == "VIR-2021-0042"

    # 10. Review and submit.
    expect_ok(page.goto(live_server.url + "/dossier/depot/"))
    journey.check(page, "depot")
    missing = page.locator("#missing-items")
    assert missing.count() == 0, missing.inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Déposer mon dossier").click()
    assert "Votre dossier est déposé" in success_message(page)
    journey.check(page, "depot-effectue")

    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED
    receipts = [m for m in mail.outbox if EMAIL in m.to and m.attachments]
    assert len(receipts) == 1, [m.subject for m in mail.outbox]
    filename, content, mimetype = receipts[0].attachments[0]
    assert mimetype == PDF and filename == f"accuse-reception-{dossier.reference}.pdf"
    assert content.startswith(b"%PDF")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'accusé de réception (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"accuse-reception-{dossier.reference}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    expect_ok(page.goto(live_server.url + "/dossier/"))
    journey.check(page, "overview-depose")
    context.close()

    assert server_errors == []
    assert journey.violations == []


def test_overview_and_identity_pages_at_phone_width_without_serious_accessibility_violation(
    browser, live_server, reference_campaign, settings
):
    from allauth.account.models import EmailAddress

    from admissions.accounts.models import User

    settings.CLOCK_AT = IN_WINDOW
    user = User.objects.create_user(EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    journey = Journey(prefix="phone")
    context = french_context(browser, live_server, viewport={"width": 375, "height": 812})
    page = context.new_page()
    expect_ok(page.goto(live_server.url + "/accounts/login/"))
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/dossier/"), page.url

    journey.check(page, "overview")
    # The header tools (log out, language) fold into the DSFR menu on phones; they stay reachable.
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#header-menu-modal")
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(menu.get_by_role("button", name="English")).to_be_visible()
    journey.check(page, "menu")
    menu.get_by_role("button", name="Fermer").click()
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_hidden()
    expect_ok(page.goto(live_server.url + "/dossier/identite/"))
    journey.check(page, "identite")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert journey.violations == []
    assert width <= 375, f"the identity page scrolls sideways at phone width ({width} px)"
