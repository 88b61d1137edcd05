"""Issue 10: rate limits that work behind the reverse proxy and cannot be turned against users.

The client's address comes from the proxy's header only on connections from a trusted proxy;
per-address limits are sized for candidates behind a shared NAT; five failures by someone else
do not lock an account's owner out of their usual device; a password reset clears the lockout."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from admissions.accounts.adapter import AccountAdapter
from admissions.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"
PROXY = "10.0.0.2"
TOO_MANY = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."


def account(email: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(client, email: str, password: str, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def refused_as_too_many(response) -> bool:
    return response.status_code == 200 and response.context["form"].errors.get("__all__") == [
        TOO_MANY
    ]


@pytest.fixture
def behind_proxy(settings):
    """The deployment of docs/deploy.md: nginx on 10.0.0.2 appends the client to X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


@pytest.fixture
def three_failures_per_address(settings):
    """A small per-address limit, so that who is counted shows after a few attempts."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "3/5m/ip,5/5m/key",
    }


def client_ip(**meta: str) -> str:
    return AccountAdapter().get_client_ip(RequestFactory().get("/", **meta))


def test_behind_the_proxy_the_client_is_the_last_address_the_proxy_added(behind_proxy):
    assert client_ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5") == "203.0.113.5"
    # what the client itself wrote in the header comes first and is not believed
    assert (
        client_ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5") == "203.0.113.5"
    )


def test_a_header_from_a_client_that_is_not_the_proxy_is_ignored(behind_proxy):
    assert (
        client_ip(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5") == "198.51.100.7"
    )


def test_the_real_ip_header_is_read_from_the_proxy_only(behind_proxy, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    assert client_ip(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5") == "203.0.113.5"
    assert client_ip(REMOTE_ADDR="198.51.100.7", HTTP_X_REAL_IP="203.0.113.5") == "198.51.100.7"


def test_through_the_proxy_each_client_is_counted_by_its_own_address(
    client, behind_proxy, three_failures_per_address, reference_campaign
):
    account("camille@example.org")
    for number in range(3):
        log_in(
            client,
            f"nobody{number}@example.org",
            "wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )

    blocked = log_in(
        client,
        "camille@example.org",
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert refused_as_too_many(blocked)
    other_client = log_in(
        client,
        "camille@example.org",
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other_client.status_code == 302
    assert logged_in(client)


def test_a_spoofed_header_does_not_escape_the_limit_of_ones_own_address(
    client, behind_proxy, three_failures_per_address, reference_campaign
):
    account("camille@example.org")
    for number in range(3):  # straight to the application, a new made-up address each time
        log_in(
            client,
            f"nobody{number}@example.org",
            "wrong",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    for number in range(3):  # through the proxy, a made-up address first in the header
        log_in(
            client,
            f"other{number}@example.org",
            "wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.8",
        )

    direct = log_in(
        client,
        "camille@example.org",
        PASSWORD,
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    proxied = log_in(
        client,
        "camille@example.org",
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.201, 198.51.100.8",
    )
    assert refused_as_too_many(direct)
    assert refused_as_too_many(proxied)
    assert not logged_in(client)


def test_forty_candidates_mistyping_behind_one_campus_nat_do_not_lock_the_campus_out(
    client, reference_campaign
):
    """A deadline evening: the per-address limit stops scripts, not a campus."""
    account("camille@example.org")
    for number in range(40):
        log_in(client, f"candidate{number}@example.org", "a typo", REMOTE_ADDR="192.0.2.10")

    response = log_in(client, "camille@example.org", PASSWORD, REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 302
    assert logged_in(client)


def test_five_failures_by_someone_else_do_not_lock_the_owner_out_of_their_usual_device(
    client, reference_campaign
):
    from django.test import Client

    account("camille@example.org")
    assert log_in(client, "camille@example.org", PASSWORD).status_code == 302  # the owner's laptop
    client.post(reverse("account_logout"))
    attacker = Client()
    for _attempt in range(5):
        log_in(attacker, "camille@example.org", "guess", REMOTE_ADDR="198.51.100.66")

    assert refused_as_too_many(
        log_in(attacker, "camille@example.org", PASSWORD, REMOTE_ADDR="198.51.100.66")
    )
    assert log_in(client, "camille@example.org", PASSWORD).status_code == 302
    assert logged_in(client)


def test_guessing_from_a_known_device_is_limited_too(client, reference_campaign):
    account("camille@example.org")
    log_in(client, "camille@example.org", PASSWORD)
    client.post(reverse("account_logout"))
    for _attempt in range(5):
        log_in(client, "camille@example.org", "guess")

    assert refused_as_too_many(log_in(client, "camille@example.org", PASSWORD))


def test_a_forged_device_cookie_is_worth_nothing(client, reference_campaign, settings):
    from django.test import Client

    from admissions.accounts import devices

    account("camille@example.org")
    attacker = Client()
    for _attempt in range(5):
        log_in(attacker, "camille@example.org", "guess")
    client.cookies[devices.cookie_name()] = "eyJkZXZpY2UiOiJ4In0:forged:signature"

    assert refused_as_too_many(log_in(client, "camille@example.org", PASSWORD))


def test_a_password_reset_link_clears_the_lockout(
    client, reference_campaign, django_capture_on_commit_callbacks
):
    from django.test import Client

    account("camille@example.org")
    attacker = Client()
    for _attempt in range(5):
        log_in(attacker, "camille@example.org", "guess")
    assert refused_as_too_many(log_in(client, "camille@example.org", PASSWORD))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "camille@example.org"})
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    form_page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    new_password = "un-autre-mot-de-passe-99"
    client.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )

    assert log_in(client, "camille@example.org", new_password).status_code == 302
    assert logged_in(client)


def test_a_throttled_request_gets_the_platforms_page_in_its_language(
    client, settings, reference_campaign
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    log_in(client, "camille@example.org", "wrong")

    response = log_in(client, "camille@example.org", "wrong")

    assert response.status_code == 429
    assert "<h1>Trop de tentatives</h1>" in response.content.decode()


def test_the_proxy_and_the_limits_come_from_the_environment(tmp_path):
    from tests.core.test_settings import run_manage

    script = (
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, s.TRUSTED_PROXIES, "
        "s.ACCOUNT_RATE_LIMITS['login_failed'], s.ACCOUNT_RATE_LIMITS['signup'])"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        DATA_DIR=str(tmp_path),
        TRUSTED_PROXY_COUNT="1",
        TRUSTED_PROXIES="10.0.0.2,10.0.1.0/24",
        RATE_LIMIT_LOGIN_FAILED="50/5m/ip,4/5m/key",
        RATE_LIMIT_SIGNUP="",  # an empty variable keeps the default, never "no limit"
    )

    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "1 None ['10.0.0.2', '10.0.1.0/24'] 50/5m/ip,4/5m/key 300/h/ip"
    )
