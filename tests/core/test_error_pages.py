"""Error pages are the platform's own: DSFR frame, French or English, what happened and what
to do next, links home, to the dossier and to help (issue 8). Never Django's bare pages."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_campaign")]

ERROR_URLS = "tests.core.error_urls"


def first(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.S)
    assert match is not None, pattern
    return match.group(1)


def heading(response) -> str:
    return first(r"<h1>(.*?)</h1>", response.content.decode()).strip()


def links(response) -> list[str]:
    return re.findall(
        r'href="([^"]+)"', first(r'<ul [^>]*id="error-links">(.*?)</ul>', response.content.decode())
    )


def lang(response) -> str:
    return first(r'<html lang="([^"]+)"', response.content.decode())


@pytest.mark.parametrize(
    "path,status,french,english",
    [
        (
            "/test-errors/400/",
            400,
            "Cette demande n'a pas pu être comprise",
            "This request could not be understood",
        ),
        (
            "/test-errors/403/",
            403,
            "Vous n'avez pas accès à cette page",
            "You do not have access to this page",
        ),
        ("/test-errors/404/", 404, "Page introuvable", "Page not found"),
        ("/dossier/page-inconnue/x/", 404, "Page introuvable", "Page not found"),
        (
            "/test-errors/500/",
            500,
            "Un incident est survenu sur la plateforme",
            "Something went wrong on the platform",
        ),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
@override_settings(DEBUG=False, ROOT_URLCONF=ERROR_URLS)
def test_each_error_is_the_platforms_own_page_in_the_pages_language(
    path, status, french, english, language
):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)

    response = client.get(path)

    assert response.status_code == status
    assert (lang(response), heading(response)) == (
        language,
        french if language == "fr" else english,
    )
    assert 'class="fr-header"' in response.content.decode()  # the DSFR frame of base.html
    assert links(response) == ["/", "/dossier/", "/aide/"]


@override_settings(DEBUG=False, ROOT_URLCONF=ERROR_URLS)
def test_the_500_page_renders_while_the_database_is_down(accounts_by_role):
    """Nothing on the 500 page asks the database again: not the session, not the account."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(accounts_by_role["candidate"])

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/test-errors/database-down/")

    assert response.status_code == 500
    assert heading(response) == "Something went wrong on the platform"
    assert links(response) == ["/", "/dossier/", "/aide/"]


@override_settings(DEBUG=False)
def test_a_staff_account_opening_the_dossier_is_told_it_is_for_candidates(client, accounts_by_role):
    client.force_login(accounts_by_role["central_officer"])

    response = client.get("/dossier/")

    assert response.status_code == 403
    assert heading(response) == "Cette page est réservée aux candidats"
    assert links(response) == ["/", "/gestion/", "/aide/"]


@override_settings(DEBUG=False)
def test_the_candidates_only_page_in_english(client, accounts_by_role):
    client.force_login(accounts_by_role["jury_member"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/dossier/")

    assert (response.status_code, heading(response)) == (403, "This page is for candidates")


@pytest.mark.parametrize(
    "language,expected", [("fr", "Ce formulaire a expiré"), ("en", "This form has expired")]
)
def test_a_form_without_its_csrf_token_gets_the_platforms_page(
    language, expected, accounts_by_role, settings
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(accounts_by_role["candidate"])

    response = client.post("/dossier/identite/", {"last_name": "Martin"})

    assert (response.status_code, lang(response), heading(response)) == (403, language, expected)
    assert links(response) == ["/", "/dossier/", "/aide/"]
