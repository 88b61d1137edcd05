"""axe-core on the candidate-facing pages the journey test does not open, and the keyboard alone."""

from __future__ import annotations

import pytest
from django.test import Client

from admissions.dossiers.models import Dossier
from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_and_support_pages_have_no_serious_violation(
    page, live_server, reference_campaign, accounts_by_role, settings, language
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    log_in(page, live_server, accounts_by_role["candidate"], language)
    found = {}

    for path in ["/aide/", "/notice/", "/dossier/messages/", "/recommandation/not-a-valid-token/"]:
        response = page.goto(live_server.url + path)
        assert response.status < 500, path
        found[path] = serious_violations(page)

    page.context.clear_cookies()
    settings.CLOCK_AT = "2021-03-10T00:00:00+01:00"  # sign-up closed: the page with the dates
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(live_server.url + path)
        found[path] = serious_violations(page)

    assert {path: v for path, v in found.items() if v} == {}


def test_the_identity_page_can_be_filled_and_saved_with_the_keyboard_alone(
    page, live_server, reference_campaign, accounts_by_role, settings
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    log_in(page, live_server, accounts_by_role["candidate"])
    page.goto(live_server.url + "/dossier/identite/")

    for _ in range(80):  # Tab until the last-name field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_last_name":
            break
    assert page.evaluate("document.activeElement.id") == "id_last_name"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.type("Clavier")
    page.keyboard.press("Tab")
    page.keyboard.type("Seul")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from a text field

    dossier = Dossier.objects.get()
    assert (dossier.last_name, dossier.first_name) == ("Clavier", "Seul")
