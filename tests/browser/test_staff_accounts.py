"""Issue 11: the staff accounts pages in Chromium: axe-core finds no serious violation in
French or English, and an administrator invites a staff member with the keyboard alone."""

from __future__ import annotations

import pytest

from admissions.accounts.models import Role, User
from tests.browser.axe import serious_violations
from tests.browser.test_pages_accessibility import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_delivery(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_accounts_pages_have_no_serious_violation(
    page, live_server, accounts_by_role, tmp_path, language
):
    admin = accounts_by_role["platform_admin"]
    jury = accounts_by_role["jury_member"]
    grant = jury.role_grants.get()
    log_in(page, live_server, admin, language)
    found = {}

    for name, path in [
        ("list", "/gestion/personnel/"),
        ("list-filtered", "/gestion/personnel/?role=jury_member&active=yes"),
        ("invite", "/gestion/personnel/inviter"),
        ("detail", f"/gestion/personnel/{jury.pk}/"),
        ("revoke", f"/gestion/personnel/{jury.pk}/roles/{grant.pk}/retirer"),
        ("deactivate", f"/gestion/personnel/{jury.pk}/desactiver"),
        ("reset-mfa", f"/gestion/personnel/{jury.pk}/second-facteur"),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.screenshot(path=str(tmp_path / f"staff-{name}-{language}.png"), full_page=True)
        found[path] = serious_violations(page)

    assert {path: v for path, v in found.items() if v} == {}


def test_invite_with_the_keyboard_alone(
    page, live_server, accounts_by_role, reference_campaign, tmp_path
):
    log_in(page, live_server, accounts_by_role["platform_admin"])
    page.goto(live_server.url + "/gestion/personnel/inviter")

    for _ in range(80):  # Tab until the email field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_email":
            break
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("clavier@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Claude")
    page.keyboard.press("Tab")
    page.keyboard.type("Clavier")
    page.keyboard.press("Tab")  # the language of the emails: keep French
    page.keyboard.press("Tab")  # the role: choose with the arrow keys
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the school: the one after "every school" (a school's role)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the submit button
    page.screenshot(path=str(tmp_path / "staff-invited.png"), full_page=True)

    user = User.objects.get(email="clavier@example.org")
    assert (user.first_name, user.last_name) == ("Claude", "Clavier")
    assert user.role_grants.count() == 1
    grant = user.role_grants.get()
    assert grant.role in {role.value for role in Role}
    assert grant.school == reference_campaign.school
