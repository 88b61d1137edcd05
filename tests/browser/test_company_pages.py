"""axe-core on the company phase's pages (R7): the candidate's page with its form, the company's
link (its form and an unusable one), the officers' pages; French and English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admissions.accounts.models import Role
from tests.browser.axe import serious_violations
from tests.browser.test_pages_accessibility import log_in
from tests.companies.conftest import JUNE, confirm, declare, make_dossier, staff, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_company_pages_have_no_serious_violation(
    page, live_server, reference_campaign, settings, language
):
    settings.CLOCK_AT = (JUNE + timedelta(days=1)).isoformat()
    declaring = make_dossier(reference_campaign, "declaring@example.org")
    confirmed = make_dossier(reference_campaign, "confirmed@example.org")
    confirm(declare(confirmed), JUNE)
    awaiting = declare(make_dossier(reference_campaign, "awaiting@example.org"))
    officer = staff("officer@school.example", Role.SCHOOL_OFFICER, reference_campaign.school)
    found = {}

    log_in(page, live_server, declaring.candidate, language)
    page.goto(live_server.url + "/dossier/entreprise/")
    page.click("button[type=submit] >> text=/Déclarer l'entreprise|Declare the company/")
    found["candidate form with errors"] = serious_violations(page)
    log_in(page, live_server, confirmed.candidate, language)
    page.goto(live_server.url + "/dossier/entreprise/")
    found["candidate confirmed"] = serious_violations(page)
    for path in [f"/entreprise/{token(awaiting, JUNE)}/", "/entreprise/not-a-token/"]:
        page.goto(live_server.url + path)
        found[path] = serious_violations(page)
    log_in(page, live_server, officer, language)
    for path in [
        "/gestion/entreprises/",
        f"/gestion/entreprises/{confirmed.reference}/",
        f"/gestion/entreprises/{awaiting.dossier.reference}/",
        "/gestion/liste-definitive/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        found[path] = serious_violations(page)

    assert {where: v for where, v in found.items() if v} == {}
