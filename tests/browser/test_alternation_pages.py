"""axe-core on the alternation calendar page and the unknown-feed page, in French and English."""

from __future__ import annotations

import pytest

from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_alternation_pages_have_no_serious_violation(
    page, live_server, reference_campaign, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = {}
    for path in ["/alternance/2021-2022/", "/alternance/abonnement/not-a-token.ics"]:
        response = page.goto(live_server.url + path)
        assert response.status < 500, path
        found[path] = serious_violations(page)

    assert {path: v for path, v in found.items() if v} == {}
    page.goto(live_server.url + "/alternance/2021-2022/")
    assert page.locator("#alternation-table tbody tr").count() == 52
