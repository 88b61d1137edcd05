"""The dossier pages as a candidate sees them, at 1280 px and 390 px, in French and English:
screenshots into screenshots/ (to look at), axe-core on each, and the refused upload, the help
link and the notice checked in a real browser (R3.1, R3.9, R10.3)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import serious_violations
from tests.documents import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"
IN_WINDOW = "2021-03-01T10:00:00+01:00"
DOSSIER_PAGES = [
    "",
    "identite/",
    "statut/",
    "formations/",
    "parcours/",
    "experience/",
    "pieces/",
    "recommandations/",
    "motivation/",
    "frais/",
    "depot/",
]
WIDTHS = {"desktop": 1280, "phone": 390}


def log_in(context, live_server, user, language: str) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


@pytest.fixture
def half_filled_dossier(accounts_by_role, reference_campaign):
    """A dossier in the middle of its life: pages answered, a few documents, one referee asked."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from admissions.core import demo
    from admissions.dossiers.models import Diploma, Experience
    from admissions.dossiers.services import open_dossier
    from admissions.referees.services import name_referee

    now = datetime(2021, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    candidate = accounts_by_role["candidate"]
    dossier = open_dossier(candidate=candidate, campaign=reference_campaign, now=now)
    demo.fill_pages(dossier, reference_campaign, now=now, last_name="Martin")
    Diploma.objects.create(
        dossier=dossier,
        type="L3",
        speciality="Physique",
        institution="Université de Toulouse",
        year=2021,
        expected_on=date(2021, 6, 30),
    )
    Experience.objects.create(
        dossier=dossier,
        employer="Atelier Durand",
        position="Stagiaire en maintenance",
        started_on=date(2019, 6, 1),
        ended_on=date(2019, 8, 31),
    )
    demo.upload_everything(
        dossier, now=now, skip=frozenset({"photo", "cv", "transcripts_current_year"})
    )
    name_referee(
        dossier=dossier,
        kind="professional",
        name="Alex Martin",
        role="Tuteur",
        email="alex@example.com",
        by=candidate,
        now=now - timedelta(days=2),
    )
    name_referee(
        dossier=dossier,
        kind="academic",
        name="Dr Lina Petit",
        role="Professeure",
        email="lina@example.com",
        by=candidate,
        now=now,
    )
    return dossier


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_dossier_page_renders_without_serious_violation(
    browser, live_server, half_filled_dossier, settings, language, width
):
    settings.CLOCK_AT = IN_WINDOW
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    log_in(context, live_server, half_filled_dossier.candidate, language)
    page = context.new_page()
    SCREENSHOTS.mkdir(exist_ok=True)
    found = {}
    overflow = {}

    for path in [*(f"/dossier/{p}" for p in DOSSIER_PAGES), "/notice/", "/aide/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(
            path=str(SCREENSHOTS / f"pages-{language}-{width}-{name}.png"), full_page=True
        )
        # Nothing wider than the screen (a phone scrolls down, never sideways).
        overflow[path] = page.evaluate("document.documentElement.scrollWidth") - WIDTHS[width]
        if language == "fr" or width == "desktop":
            found[path] = serious_violations(page)

    context.close()
    assert {path: v for path, v in found.items() if v} == {}
    assert {path: extra for path, extra in overflow.items() if extra > 0} == {}


def test_a_refused_upload_is_shown_at_its_slot_and_the_summary_leads_to_it(
    browser, live_server, half_filled_dossier, settings
):
    settings.CLOCK_AT = IN_WINDOW
    context = browser.new_context(viewport={"width": 390, "height": 800})
    log_in(context, live_server, half_filled_dossier.candidate, "fr")
    page = context.new_page()
    page.goto(live_server.url + "/dossier/pieces/")
    slot = page.locator('form.upload-form[action="/dossier/pieces/photo/envoyer"]')

    slot.locator("input[type=file]").set_input_files(
        {"name": "grise.jpg", "mimeType": "image/jpeg", "buffer": corpus.grey_jpeg(600, 800)}
    )
    with page.expect_navigation():
        slot.get_by_role("button", name="Envoyer").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link")
    assert link.inner_text().startswith("Photo d'identité\u00a0: Ce fichier n'a pas été accepté.")
    expect(page.locator("#slot-photo-error")).to_be_visible()
    assert page.locator("#slot-photo").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(SCREENSHOTS / "pages-fr-phone-pieces-refused.png"), full_page=True)
    link.click()
    assert page.evaluate("document.activeElement.id") == "slot-photo"
    assert page.locator("#slot-photo-error").is_visible()
    assert (
        page.evaluate("document.getElementById('slot-photo-error').getBoundingClientRect().top")
        < 800
    )
    context.close()


def test_the_help_link_is_in_the_phone_menu(browser, live_server, reference_campaign, settings):
    settings.CLOCK_AT = IN_WINDOW
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/")

    expect(page.get_by_role("link", name="Aide / FAQ")).to_be_hidden()  # folded in the menu
    page.locator("#header-menu-button").click()

    help_link = page.locator("#header-menu-modal").get_by_role("link", name="Aide / FAQ")
    expect(help_link).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "pages-fr-phone-menu.png"))
    with page.expect_navigation():
        help_link.click()
    assert page.url.endswith("/aide/")
    context.close()


def test_the_notice_table_of_contents_leads_to_annex_3(
    browser, live_server, reference_campaign, settings
):
    settings.CLOCK_AT = IN_WINDOW
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/notice/")

    page.locator(".fr-summary").get_by_role(
        "link", name="Annexe 3 : planning général des alternances école/entreprise"
    ).click()

    heading = page.locator("#annexe-3-planning-general-des-alternances-ecoleentreprise")
    expect(heading).to_be_in_viewport()
    assert page.locator("table").nth(2).locator("tbody tr").count() == 52
    context.close()
