"""R9.4 and issue 10: what was typed survives an expired session, without letting a visitor
fill the session table (only a browser that was logged in, only the page's fields, capped)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from admissions.core.access import DRAFT_KEY, DRAFT_MAX_CHARS

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-42"
IDENTITY = "/dossier/identite/"


@pytest.fixture
def expired_browser(client, accounts_by_role):
    """A browser that was logged in, whose session then expired (its row is gone)."""
    from allauth.account.models import EmailAddress

    user = accounts_by_role["candidate"]
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert (
        client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    Session.objects.all().delete()
    return client


def stored_draft() -> dict | None:
    rows = list(Session.objects.all())
    assert len(rows) <= 1
    return rows[0].get_decoded().get(DRAFT_KEY) if rows else None


def stored_chars() -> int:
    return sum(len(row.session_data) for row in Session.objects.all())


def test_only_the_pages_own_fields_are_kept(expired_browser):
    response = expired_browser.post(IDENTITY, {"last_name": "Martin", "not_a_field": "x" * 100})

    assert response.status_code == 302
    assert stored_draft() == {
        "path": IDENTITY,
        "data": {"last_name": ["Martin"]},
        "had_files": False,
    }


def test_a_large_post_keeps_at_most_the_cap(expired_browser):
    posted = {"last_name": "x" * 500_000, "first_name": "Camille"}  # under Django's 1 MiB of fields
    posted.update({f"junk{number}": "y" * 100_000 for number in range(4)})

    expired_browser.post(IDENTITY, posted)

    assert stored_draft()["data"] == {"last_name": ["x" * 2_000], "first_name": ["Camille"]}
    assert stored_chars() < DRAFT_MAX_CHARS


def test_a_5_mb_post_stores_nothing(expired_browser):
    response = expired_browser.post(IDENTITY, {"last_name": "x" * 5_000_000})

    assert response.status_code == 302  # to the login page; Django refuses to read the fields
    assert Session.objects.count() == 0


def test_many_fields_are_kept_up_to_the_whole_cap(expired_browser):
    rows = {f"diplomas-{row}-speciality": "z" * 2_000 for row in range(10)}

    expired_browser.post("/dossier/parcours/", rows)

    kept = stored_draft()["data"]
    assert sum(len(values[0]) for values in kept.values()) <= DRAFT_MAX_CHARS
    assert len(kept) == 9  # the tenth would pass 20 000 characters


def test_a_visitor_who_never_logged_in_stores_nothing(client, reference_campaign):
    response = client.post(IDENTITY, {"last_name": "x" * 1_000_000})

    assert response.status_code == 302
    assert Session.objects.count() == 0


def test_a_page_without_a_kept_form_stores_nothing(expired_browser):
    expired_browser.post("/dossier/pieces/cv/plus-tard", {"last_name": "Martin"})

    assert Session.objects.count() == 0
