"""The central check in a real browser (issue 11, R4.1): an officer opens a dossier, refuses a
document, the candidate replaces it, the officer accepts it and forwards the dossier.
Screenshots of the staff dossier page; axe-core finds no serious or critical violation."""

from __future__ import annotations

import pytest

from admissions.dossiers.services import submit_dossier
from admissions.verification.models import DossierCheck
from admissions.verification.services import review_document
from tests.browser.axe import serious_violations
from tests.browser.session import log_in
from tests.documents import corpus
from tests.dossiers.helpers import IN_WINDOW, complete_dossier, received_recommendations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier(reference_campaign, accounts_by_role, settings, tmp_path):
    """Submitted; every document but the CV already judged valid."""
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    settings.RENDER_CACHE_DIR = tmp_path / "rendered"
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    received_recommendations(dossier)
    dossier = submit_dossier(dossier=dossier, by=dossier.candidate, now=IN_WINDOW)
    for document in dossier.documents.exclude(code="cv"):
        review_document(
            document=document,
            by=accounts_by_role["central_officer"],
            now=IN_WINDOW,
            verdict="valid",
        )
    return dossier


def flash(page) -> str:
    return page.locator("main .fr-alert").first.inner_text().strip()


def test_officer_refuses_candidate_replaces_officer_forwards(
    page, live_server, dossier, accounts_by_role, tmp_path
):
    officer = accounts_by_role["central_officer"]
    url = f"{live_server.url}/gestion/dossiers/{dossier.reference}/"
    cv = dossier.documents.get(code="cv")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The officer opens the dossier and refuses the CV with a reason from the campaign's list.
    log_in(page, live_server, officer)
    page.goto(url)
    assert page.locator("h1").inner_text().startswith(f"Dossier {dossier.reference}")
    page.locator(f"#doc-{cv.pk} img").first.wait_for()
    assert page.locator(f"#doc-{cv.pk} img").first.evaluate("img => img.naturalWidth") == 900
    page.screenshot(path=str(tmp_path / "check-dossier-fr.png"), full_page=True)
    assert serious_violations(page) == []
    page.click(f"label[for=verdict-{cv.pk}-refused]")
    page.select_option(f"#reason-{cv.pk}", "illisible")
    page.locator(f"#doc-{cv.pk} form button[type=submit]").click()
    page.wait_for_load_state()
    assert flash(page) == "Verdict enregistré."
    page.get_by_role("button", name="Signaler au candidat les pièces à remplacer").click()
    page.wait_for_load_state()
    assert flash(page) == "Courriel envoyé au candidat : 1 pièce(s) à remplacer."
    page.screenshot(path=str(tmp_path / "check-refused-fr.png"), full_page=True)

    # The candidate reads why and sends another CV.
    log_in(page, live_server, dossier.candidate)
    page.goto(live_server.url + "/dossier/")
    assert (
        page.locator("#to-replace-items li")
        .inner_text()
        .startswith("Curriculum vitae\u00a0: Le document est illisible ou incomplet")
    )
    page.goto(live_server.url + "/dossier/pieces/")
    new_cv = tmp_path / "cv-lisible.pdf"
    new_cv.write_bytes(corpus.pdf())
    page.set_input_files("#slot-cv", str(new_cv))
    page.locator("form[action='/dossier/pieces/cv/envoyer'] button[type=submit]").click()
    page.wait_for_load_state()
    assert flash(page) == "Fichier enregistré."

    # The officer sees it unchecked again, accepts it and forwards the dossier.
    log_in(page, live_server, officer, "en")
    page.goto(url)
    assert page.locator(f"#doc-{cv.pk}-title .fr-badge").inner_text().lower() == "to check"
    page.screenshot(path=str(tmp_path / "check-replaced-en.png"), full_page=True)
    assert serious_violations(page) == []
    page.click(f"label[for=verdict-{cv.pk}-valid]")
    page.locator(f"#doc-{cv.pk} form button[type=submit]").click()
    page.wait_for_load_state()
    page.click("label[for=decision-recevable]")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()

    assert flash(page) == "Decision recorded; the applicant is told by email."
    assert page.locator("#dossier-state .fr-badge").inner_text().lower() == (
        "admissible for review, forwarded to the school"
    )
    assert DossierCheck.objects.get(dossier=dossier).verdict == "recevable"
    page.screenshot(path=str(tmp_path / "check-forwarded-en.png"), full_page=True)
    assert serious_violations(page) == []
