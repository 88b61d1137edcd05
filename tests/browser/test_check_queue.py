"""The check queue, its bulk PDFs and the funnel in Chromium: filtered with the keyboard alone,
no serious axe-core violation, screenshots of each page (issue 11)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client

from admissions.verification.models import BulkExport
from tests.browser.axe import serious_violations
from tests.verification.helpers import PARIS, check, make_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AT = datetime(2021, 3, 2, 10, 0, tzinfo=PARIS)


def log_in(page, live_server, user, language="fr"):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
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
def dossiers(reference_campaign, accounts_by_role):
    officer = accounts_by_role["central_officer"]
    make_dossier(
        reference_campaign,
        "lea@example.org",
        reference="IMTM-DRAFT",
        last_name="Durand",
        first_name="Léa",
    )
    for number, name in enumerate(["Martin", "Bernard", "Dupont"]):
        dossier = make_dossier(
            reference_campaign,
            f"{name.lower()}@example.org",
            reference=f"IMTM-S{number}",
            last_name=name,
            first_name="Camille",
            submitted_at=AT,
            status_sought="apprentissage",
            options=("SENMBA", "SIMMA") if number else ("SIPHASS",),
        )
        if number == 1:
            check(dossier, "recevable", officer)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_queue_is_filtered_with_the_keyboard_and_staff_pages_pass_axe(
    page, live_server, dossiers, accounts_by_role, settings, tmp_path, language
):
    settings.CLOCK_AT = "2021-03-12T10:00:00+01:00"
    settings.MEDIA_ROOT = tmp_path
    log_in(page, live_server, accounts_by_role["central_officer"], language)
    found = {}

    page.goto(live_server.url + "/gestion/verification/")
    page.focus("#filter-q")
    page.keyboard.type("dupont")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator(".queue-table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").nth(1).inner_text() == "IMTM-S2"
    page.select_option("#filter-state", "unchecked")
    page.fill("#filter-q", "")
    page.locator("#filter-state").focus()
    for _ in range(30):  # Tab to the "Filter" button, then press it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert sorted(page.locator(".queue-table tbody tr td:nth-child(2)").all_inner_texts()) == [
        "IMTM-S0",
        "IMTM-S2",
    ]
    found["queue"] = serious_violations(page)
    page.screenshot(path=str(tmp_path / f"queue-{language}.png"), full_page=True)

    page.check("#select-IMTM-S0")
    with page.expect_navigation():
        page.click("#bulk-form button[type=submit]")
    page.wait_for_selector(
        "text=" + ("Télécharger le fichier ZIP" if language == "fr" else "Download the ZIP file")
    )
    assert BulkExport.objects.get().state == "ready"
    found["bulk"] = serious_violations(page)
    page.screenshot(path=str(tmp_path / f"bulk-{language}.png"), full_page=True)

    page.goto(live_server.url + "/gestion/statistiques/")
    found["funnel"] = serious_violations(page)
    page.screenshot(path=str(tmp_path / f"funnel-{language}.png"), full_page=True)

    assert {name: v for name, v in found.items() if v} == {}
