"""Issue 10: the 413 (request too large) and 429 (too many attempts) pages in a real browser,
in the platform's frame and language, without serious accessibility violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"

POST_25_MIB = """() => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/accounts/login/';
    form.enctype = 'multipart/form-data';
    const field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'login';
    field.value = 'x'.repeat(25 * 1024 * 1024);
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
}"""


@pytest.mark.parametrize(
    ("language", "title", "width"),
    [
        ("fr", "Envoi trop volumineux", 1280),
        ("en", "Upload too large", 1280),
        ("fr", "Envoi trop volumineux", 390),
    ],
)
def test_a_too_large_post_shows_the_platforms_413_page(
    page, live_server, reference_campaign, language, title, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")

    with page.expect_navigation():
        page.evaluate(POST_25_MIB)

    assert page.locator("h1").inner_text() == title
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"413-{language}-{width}.png"), full_page=True)
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Trop de tentatives"), ("en", "Too many attempts")]
)
def test_a_throttled_login_shows_the_platforms_429_page(
    page, live_server, reference_campaign, settings, language, title
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    for _attempt in range(2):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=login]", "camille@example.org")
        page.fill("input[name=password]", "wrong-password")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()

    assert page.locator("h1").inner_text() == title
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"429-{language}.png"), full_page=True)
    assert serious_violations(page) == []
