"""R2.2: staff use two-factor authentication; candidates are not asked for it.

Issue 10: every door into a staff session (the platform's login, the admin's) goes through the
same login, second factor and rate limits; a session that passed a password alone opens no
staff page and no admin page, even for an account that has a second factor."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"


def current_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def enrolled(accounts_by_role, settings):
    """A platform administrator (Django staff too) whose account has TOTP, and its secret."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    settings.STAFF_REQUIRE_MFA = True
    admin_user = accounts_by_role["platform_admin"]
    admin_user.is_staff = True
    admin_user.set_password(PASSWORD)
    admin_user.save()
    EmailAddress.objects.create(
        user=admin_user, email=admin_user.email, verified=True, primary=True
    )
    secret = generate_totp_secret()
    TOTP.activate(admin_user, secret)
    return admin_user, secret


def login_with_second_factor(client, user, secret: str) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, accounts_by_role, settings):
    settings.STAFF_REQUIRE_MFA = True
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(reverse("payments:pending"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_who_passed_the_second_factor_reach_their_pages(client, enrolled):
    admin_user, secret = enrolled
    login_with_second_factor(client, admin_user, secret)

    assert client.get(reverse("payments:pending")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_password_alone_opens_no_staff_page_even_with_totp_enrolled(client, enrolled):
    """The session of a password-only login (the admin's former form) is not a 2FA session."""
    admin_user, _secret = enrolled
    assert client.login(email=admin_user.email, password=PASSWORD)

    staff_page = client.get(reverse("payments:pending"))
    admin_page = client.get(reverse("admin:index"))

    assert staff_page.status_code == 302
    assert staff_page["Location"] == reverse("mfa_reauthenticate") + "?next=/gestion/paiements/"
    assert admin_page.status_code == 302
    assert admin_page["Location"] == reverse("admin:login") + "?next=/admin/"
    # the admin's login then asks this session for its code, not for a password
    login_page = client.get(admin_page["Location"])
    assert login_page["Location"] == reverse("mfa_reauthenticate") + "?next=/admin/"


def test_entering_the_code_later_opens_the_staff_pages(client, enrolled):
    admin_user, secret = enrolled
    assert client.login(email=admin_user.email, password=PASSWORD)

    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/", {"code": current_code(secret)}
    )

    assert response.status_code == 302
    assert client.get(reverse("payments:pending")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_sends_to_the_platform_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/campaigns/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/campaigns/"


def test_the_admin_login_sends_nowhere_outside_the_platform(client):
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")

    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_a_password_posted_to_the_admin_login_opens_no_session(client, enrolled):
    admin_user, _secret = enrolled

    response = client.post(
        reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_guessing_the_admin_password_is_throttled_like_any_login(client, enrolled):
    """The admin has no login form of its own: the platform's, with its rate limits, is the
    only one; after five wrong passwords even the right one is refused there."""
    admin_user, _secret = enrolled
    for _attempt in range(30):
        client.post(reverse("admin:login"), {"username": admin_user.email, "password": "wrong"})
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": admin_user.email, "password": "wrong"})

    response = client.post(
        reverse("account_login"), {"login": admin_user.email, "password": PASSWORD}
    )

    assert response.status_code == 200  # the form again, with the throttling message
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"] == [
        "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
    ]


def test_a_staff_member_who_is_not_platform_admin_is_refused_by_the_admin(
    client, accounts_by_role, settings
):
    settings.STAFF_REQUIRE_MFA = False
    officer = accounts_by_role["central_officer"]
    officer.is_staff = True
    officer.save()
    client.force_login(officer)

    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_candidates_are_not_asked_for_a_second_factor(
    client, accounts_by_role, settings, reference_campaign
):
    settings.STAFF_REQUIRE_MFA = True
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.force_login(accounts_by_role["candidate"])

    assert client.get(reverse("dossiers:overview")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth signals the new TOTP after its commit
def test_setting_up_totp_counts_as_this_sessions_second_factor(client, accounts_by_role, settings):
    """A staff member sent to set up TOTP goes on to the staff page once it is set up."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    settings.STAFF_REQUIRE_MFA = True
    officer = accounts_by_role["central_officer"]
    officer.set_password(PASSWORD)
    officer.save()
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    assert (
        client.post(
            reverse("account_login"), {"login": officer.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    sent_to = client.get(reverse("payments:pending"))["Location"]
    assert sent_to == reverse("mfa_activate_totp") + "?next=/gestion/paiements/"
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # allauth asks it first
    assert client.get(sent_to).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    assert client.post(sent_to, {"code": current_code(secret)}).status_code == 302
    assert client.get(reverse("payments:pending")).status_code == 200
