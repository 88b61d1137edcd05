"""The home page in a real browser: it opens, shows the campaign, and passes axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_page_shows_the_campaign_without_serious_accessibility_violation(
    page, live_server, reference_campaign, settings, language
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )

    page.goto(live_server.url + "/")

    title = reference_campaign.name if language == "fr" else reference_campaign.name_en
    assert page.locator("h1").inner_text() == title  # the English title in English (issue 8)
    expected = "Dépôt des candidatures" if language == "fr" else "Applications open"
    assert page.locator("#current-phase").inner_text() == expected
    assert page.locator("html").get_attribute("lang") == language
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{language}.png"), full_page=True)
    assert serious_violations(page) == []
