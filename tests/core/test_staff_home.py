"""Staff land on a home that lists, per role they hold, the pages it opens (issue 8, R2.2);
a role with no page yet is told so plainly instead of meeting a 403."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from admissions.accounts.adapter import AccountAdapter

pytestmark = pytest.mark.django_db

OUTBOX_PAGES = ["/gestion/courriels/", "/gestion/courriels/modeles/"]
CENTRAL_PAGES = [
    "/gestion/verification/",
    "/gestion/verification/suivant/",
    "/gestion/paiements/",
    "/gestion/messages/",
    "/gestion/statistiques/",
]
COMMITTEE_PAGES = ["/gestion/commission/", "/gestion/commission/publication/"]
JURY_PAGES = ["/gestion/jury/", "/gestion/jury/notes/"]
EXAM_PAGES = [
    "/gestion/epreuves/journees/",
    "/gestion/epreuves/inscriptions/",
    "/gestion/epreuves/amenagements/",
    "/gestion/epreuves/emplois-du-temps/",
    *JURY_PAGES,
    "/gestion/epreuves/liste-academique/",
]
# The company-search help (R7.3) opens to the central service too.
SEARCH_HELP_PAGES = ["/gestion/recherche-entreprise/"]
COMPANY_PAGES = [
    "/gestion/entreprises/",
    "/gestion/liste-definitive/",
    *SEARCH_HELP_PAGES,
    "/gestion/entree-en-formation/",
]


def sections(page: str) -> dict[str, list[str]]:
    """Role code -> the links of its section, or ["none"] when it says there is no page."""
    found = {}
    for code, body in re.findall(r'<section [^>]*id="role-(\w+)">(.*?)</section>', page, re.S):
        found[code] = re.findall(r'href="([^"]+)"', body) or (
            ["none"] if "staff-no-page" in body else []
        )
    return found


@pytest.mark.parametrize(
    "role,expected",
    [
        (
            "central_officer",
            {"central_officer": [*CENTRAL_PAGES, *SEARCH_HELP_PAGES, *OUTBOX_PAGES]},
        ),
        (
            "platform_admin",
            {
                "platform_admin": [
                    *CENTRAL_PAGES,
                    *COMMITTEE_PAGES,
                    *EXAM_PAGES,
                    *COMPANY_PAGES,
                    "/gestion/personnel/",
                    *OUTBOX_PAGES,
                    "/admin/",
                ]
            },
        ),
        (
            "school_officer",
            {
                "school_officer": [
                    "/gestion/statistiques/",
                    *COMMITTEE_PAGES,
                    *EXAM_PAGES,
                    *COMPANY_PAGES,
                    *OUTBOX_PAGES,
                ]
            },
        ),
        (
            "committee_member",
            {"committee_member": ["/gestion/commission/", "/gestion/epreuves/liste-academique/"]},
        ),
        ("jury_member", {"jury_member": JURY_PAGES}),
    ],
)
def test_each_staff_role_sees_its_pages_or_that_it_has_none_yet(
    role, expected, client, accounts_by_role
):
    client.force_login(accounts_by_role[role])

    response = client.get("/gestion/")

    assert response.status_code == 200
    assert sections(response.content.decode()) == expected


def test_an_account_with_two_roles_sees_both(client, accounts_by_role, reference_campaign):
    from admissions.accounts.models import Role, RoleGrant

    jury = accounts_by_role["jury_member"]
    RoleGrant.objects.create(user=jury, role=Role.CENTRAL_OFFICER, school=None)
    client.force_login(jury)

    page = client.get("/gestion/").content.decode()

    assert sections(page) == {
        "central_officer": [*CENTRAL_PAGES, *SEARCH_HELP_PAGES, *OUTBOX_PAGES],
        "jury_member": JURY_PAGES,
    }


def test_the_staff_home_in_english(client, accounts_by_role):
    client.force_login(accounts_by_role["jury_member"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get("/gestion/").content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Staff area"]
    assert re.findall(r'<li><a href="/gestion/jury/">(.*?)</a></li>', page) == [
        "My exam days (jury)"
    ]


def test_candidates_are_refused_the_staff_home(client, accounts_by_role):
    client.force_login(accounts_by_role["candidate"])

    assert client.get("/gestion/").status_code == 403


@pytest.mark.parametrize(
    "role,landing",
    [("candidate", "/dossier/"), ("central_officer", "/gestion/"), ("jury_member", "/gestion/")],
)
def test_after_logging_in_staff_land_on_the_staff_home(role, landing, rf, accounts_by_role):
    request = rf.get("/accounts/login/")
    request.user = accounts_by_role[role]

    assert AccountAdapter(request).get_login_redirect_url(request) == landing


def test_logging_in_with_the_form_lands_a_staff_account_on_the_staff_home(accounts_by_role):
    from allauth.account.models import EmailAddress

    officer = accounts_by_role["central_officer"]
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)

    response = Client().post(
        "/accounts/login/", {"login": officer.email, "password": "a-long-password-1"}
    )

    assert (response.status_code, response["Location"]) == (302, "/gestion/")
