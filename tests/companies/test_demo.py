"""The demo's company phase (companies/demo.py, issue 13): a dossier in every state, opened by
every demo account at the company phase's instants, and run to its frozen final list.

The demo is built once for the module (as the walk of tests/core/test_every_page_as_every_account
does); each test's changes are rolled back."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from admissions.accounts.models import User
from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Campaign
from admissions.companies import links, selectors
from admissions.companies.demo import AWAITING_DECLARED_AT, CANDIDATES, COMPANY_PHASE_ACCOUNTS
from admissions.companies.models import Exclusion, FrozenFinalList, HostCompany, ListPlace
from admissions.core.access import declared_access
from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from admissions.preentry import demo as preentry_demo
from tests.conftest import demo_seeded_once
from tests.core.test_every_page_as_every_account import (
    DEMO_EMAILS,
    PATTERNS,
    describe,
    expected_answer,
)
from tests.helpers import page_text

JUNE = datetime.fromisoformat("2021-06-01T10:00:00+02:00")  # the README's company-phase clock
FROZEN = datetime.fromisoformat("2021-09-21T00:05:00+02:00")  # just after the freeze
WALKED = [email for _key, email, _state in COMPANY_PHASE_ACCOUNTS]
COMPANY_PATTERNS = [p for p in PATTERNS if p[0].startswith("companies:")]
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """The demo built once for the module, rolled back at the end; what seed_demo printed."""
    with demo_seeded_once(django_db_blocker) as printed:
        yield printed


# The pre-entry demo's candidates, admitted for good on 31 May, after the company phase's.
PREENTRY_DEMO = [email for email, *_ in preentry_demo.CANDIDATES]


def company_of(email: str) -> HostCompany:
    return HostCompany.objects.filter(dossier__candidate__email=email).latest("declared_at")


def test_the_demo_holds_the_company_phase_in_every_state(demo_seeded, db):
    states = {
        c.dossier.candidate.email: (c.state, c.sector_mismatch, c.confirmed_by_id is not None)
        for c in HostCompany.objects.select_related("dossier__candidate")
    }
    places = {
        p.dossier.candidate.email: (p.standing, p.seat_group, p.rank)
        for p in ListPlace.objects.select_related("dossier__candidate")
    }
    exclusions = dict(Exclusion.objects.values_list("dossier__candidate__email", "kind"))

    assert states == {
        "company-awaiting@demo.example": ("awaiting", False, False),
        "company-declined@demo.example": ("declined", False, False),
        "final-admitted@demo.example": ("confirmed", False, False),
        "age-exemption@demo.example": ("confirmed", False, False),
        "withdrawn@demo.example": ("confirmed", False, False),
        "pro-contract@demo.example": ("confirmed", False, False),
        "sector-mismatch@demo.example": ("confirmed", True, False),
        "staff-confirmed@demo.example": ("confirmed", False, True),
        "contract-signed@demo.example": ("confirmed", False, False),
        "fraud@demo.example": ("confirmed", False, False),
        "moved-up@demo.example": ("confirmed", False, False),
        "waiting-list@demo.example": ("confirmed", False, False),
        # The pre-entry demo's candidates (preentry/demo.py), confirmed on 31 May.
        **dict.fromkeys(PREENTRY_DEMO, ("confirmed", False, False)),
    }
    assert places == {
        "final-admitted@demo.example": ("admitted", "apprentissage", 1),
        "age-exemption@demo.example": ("admitted", "apprentissage", 2),
        "withdrawn@demo.example": ("out", "", None),
        "pro-contract@demo.example": ("admitted", "fc_cp", 1),
        "sector-mismatch@demo.example": ("admitted", "fc_cp", 2),
        "staff-confirmed@demo.example": ("admitted", "fc_cp", 3),
        "contract-signed@demo.example": ("admitted", "fc_cp", 4),
        "moved-up@demo.example": ("admitted", "fc_cp", 5),
        "fraud@demo.example": ("out", "", None),
        "waiting-list@demo.example": ("waiting", "fc_cp", 1),
        **{email: ("admitted", "apprentissage", 3 + i) for i, email in enumerate(PREENTRY_DEMO)},
    }
    assert exclusions == {"withdrawn@demo.example": "withdrawal", "fraud@demo.example": "fraud"}
    # Every event is before the README's company-phase clock: the list the pages compute at it
    # is the one stored (no withdrawal or fraud "in the future" of the demo's clock).
    computed = selectors.final_list(Campaign.objects.get(), JUNE)
    stored = ListPlace.objects.filter(standing="admitted")
    assert {ref for group in computed.groups for ref in group.admitted_refs} == set(
        stored.values_list("dossier__reference", flat=True)
    )
    # The age rule needed the exemption, checked on the contract's recorded date (R7.2).
    aged = Dossier.objects.get(candidate__email="age-exemption@demo.example")
    assert aged.legal_age_exemption
    assert company_of("age-exemption@demo.example").contract_signed_on.isoformat() == "2021-05-10"
    assert AuditEntry.objects.filter(action="companies.age_exemption.set").count() == 1
    # The fraud gave its seat to the first one waiting, who was told at once (R7.2, R7.5).
    moved = ListPlace.objects.get(dossier__candidate__email="moved-up@demo.example")
    assert moved.changes == 2
    told = OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.FINAL_LIST_PLACE, recipient="moved-up@demo.example"
    )
    assert told.count() == 2  # waiting, then moved up
    assert OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.FRAUD_EXCLUSION, recipient="fraud@demo.example"
    ).exists()
    assert Exclusion.objects.get(dossier__candidate__email="fraud@demo.example").evidence
    # The academic list's one admitted candidate of phase 2 still has no company.
    assert not HostCompany.objects.filter(dossier__candidate__email="graded@demo.example").exists()
    assert set(CANDIDATES) == {key for key, _email, _state in COMPANY_PHASE_ACCOUNTS}


def printed_company_link(printed: str) -> str:
    match = re.search(r"/entreprise/([^/\s]+)/", printed)
    assert match, printed
    return match.group(1)


def test_the_printed_link_confirms_and_the_demo_runs_to_its_frozen_list(demo_seeded, db, settings):
    """Done when (issue 13): in the demo, the campaign runs to its frozen final list."""
    token = printed_company_link(demo_seeded)
    settings.CLOCK_AT = JUNE.isoformat()
    client = Client()
    url = f"/entreprise/{token}/"

    form = page_text(client.get(url))
    answered = client.post(url, {"answer": "confirm", "contract_start": "2021-09-01"})
    settings.CLOCK_AT = FROZEN.isoformat()
    out = StringIO()
    call_command("freeze_final_list", stdout=out)

    assert "Inès Caron" in form and "Confirmation d'un contrat en alternance" in form
    assert answered.status_code == 302
    assert ListPlace.objects.get(
        dossier__candidate__email="company-awaiting@demo.example"
    ).rank == 3 + len(PREENTRY_DEMO)
    frozen = FrozenFinalList.objects.get()
    emails = {d.reference: d.candidate.email for d in Dossier.objects.select_related("candidate")}
    assert {group: [emails[r] for r in refs] for group, refs in frozen.admitted.items()} == {
        "apprentissage": [
            "final-admitted@demo.example",
            "age-exemption@demo.example",
            *PREENTRY_DEMO,
            "company-awaiting@demo.example",
        ],
        "fc_cp": [
            "pro-contract@demo.example",
            "sector-mismatch@demo.example",
            "staff-confirmed@demo.example",
            "contract-signed@demo.example",
            "moved-up@demo.example",
        ],
    }
    told = set(
        OutboundEmail.objects.filter(kind=OutboundEmail.Kind.FINAL_LIST_FROZEN).values_list(
            "recipient", flat=True
        )
    )
    assert told == {
        "graded@demo.example",
        "company-declined@demo.example",
        "waiting-list@demo.example",
    }
    assert "final list frozen, 12 admitted, 3 candidate(s) told" in out.getvalue()


def test_the_awaiting_link_expires_thirty_days_after_it_was_sent(demo_seeded, db):
    token = printed_company_link(demo_seeded)

    assert links.read_link(token, now=JUNE).status == links.LinkStatus.VALID
    late = AWAITING_DECLARED_AT.replace(month=6, day=25)
    assert links.read_link(token, now=late).status == links.LinkStatus.EXPIRED


# --- The company pages, opened by every demo account at the company phase's instants --------


def company_tokens() -> dict[str, str]:
    """Each demo declaration's link, signed when it was declared (as its email is)."""
    return {
        c.dossier.candidate.email: links.make_token(c, now=c.declared_at)
        for c in HostCompany.objects.select_related("dossier__candidate", "dossier__campaign")
    }


def expected_link_answer(company: HostCompany, now: datetime) -> int:
    """From the demo's facts: an answered declaration shows its answer (200), an awaiting one
    its form until the freeze or the link's expiry, then a clear page (410)."""
    if company.state != HostCompany.State.AWAITING:
        return 200
    frozen = now >= company.dossier.campaign.final_list_frozen_at
    return 410 if frozen or now >= company.declared_at + links.LINK_MAX_AGE else 200


# Every account in June; after the freeze, those whose answers change with it.
AFTER_FREEZE = [
    *WALKED,
    "graded@demo.example",
    "admin@demo.example",
    "school-admin@demo.example",
    "central@demo.example",
    "admissions@demo.example",
    "committee@demo.example",
    "anonymous",
]


@pytest.mark.parametrize(
    ("email", "now"),
    [(email, JUNE) for email in [*DEMO_EMAILS, "anonymous"]]
    + [(email, FROZEN) for email in AFTER_FREEZE],
)
def test_every_company_page_answers_each_demo_account_as_expected(
    email, now, demo_seeded, db, settings, caplog
):
    """Each company page with every demo dossier and declaration: the page, the login, the
    403 of a role the page refuses or the 404 of a dossier outside reach (from the demo's
    facts); then an empty POST to each: never a 500."""
    caplog.set_level(logging.ERROR, logger="django.request")
    settings.CLOCK_AT = now.isoformat()
    settings.STAFF_REQUIRE_MFA = False
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    user = None
    if email != "anonymous":
        user = User.objects.get(email=email)
        client.force_login(user)
    # The company phase's dossiers, the academic list's one without a company, one below it.
    dossiers = list(
        Dossier.objects.select_related("candidate")
        .filter(candidate__email__in=[*WALKED, "graded@demo.example", "below-list@demo.example"])
        .order_by("pk")
    )
    tokens = company_tokens()
    companies = {
        c.dossier.candidate.email: c
        for c in HostCompany.objects.select_related("dossier__campaign")
    }

    wrong, posts = [], []
    for name, route, callback in COMPANY_PATTERNS:
        rule = declared_access(name, callback)
        names = {parameter for _converter, parameter in PARAMETER.findall(route)}
        targets: list[tuple[str, int]] = []
        if names == {"token"}:
            targets = [
                (route.replace("<str:token>", tokens[owner]), expected_link_answer(company, now))
                for owner, company in companies.items()
            ]
        elif names == {"reference"}:
            targets = [
                (
                    route.replace("<str:reference>", d.reference),
                    expected_answer(user, rule, route, d),
                )
                for d in dossiers
            ]
        elif names == {"fmt"}:
            targets = [
                (route.replace("<str:fmt>", fmt), expected_answer(user, rule, route, None))
                for fmt in ("csv", "xlsx")
            ]
        elif not names:
            targets = [(route, expected_answer(user, rule, route, None))]
        assert targets, route
        for path, expected in targets:
            response = client.get("/" + path)
            got = response.status_code
            if expected == 200 and got == 405:
                got = 200  # an action: POST only
            if got != expected:
                wrong.append(f"{describe('GET', '/' + path, response)} (expected {expected})")
            if got in (200, 405):
                posts.append("/" + path)
    for path in posts:
        response = client.post(path)
        if response.status_code >= 500:
            wrong.append(describe("POST", path, response))
    assert wrong == []


def test_a_company_link_reaches_only_its_own_confirmation_form(demo_seeded, db, settings):
    """The permission walk of the links (issue 13): each demo link shows its own candidate and
    no other, and an answer through it changes its own declaration only."""
    settings.CLOCK_AT = JUNE.isoformat()
    client = Client()
    tokens = company_tokens()
    names = {
        c.dossier.candidate.email: c.dossier.full_name
        for c in HostCompany.objects.select_related("dossier")
    }

    for owner, token in tokens.items():
        text = page_text(client.get(f"/entreprise/{token}/"))
        others = [name for email, name in names.items() if email != owner and name in text]
        assert names[owner] in text, owner
        assert others == [], owner
    before = dict(HostCompany.objects.values_list("pk", "state"))
    awaiting = company_of("company-awaiting@demo.example")
    response = client.post(
        f"/entreprise/{tokens['company-awaiting@demo.example']}/",
        {"answer": "decline", "reason": "Pas de poste"},
    )
    after = dict(HostCompany.objects.values_list("pk", "state"))

    assert response.status_code == 302
    assert {pk for pk in after if after[pk] != before[pk]} == {awaiting.pk}
