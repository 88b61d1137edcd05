"""Every demo account opens every page of the URL conf, with the real identifiers (issue 8).

880 tests passed while a scholarship holder could not open their own dossier: each test built
the few dossiers it needed, and none built that one. This walk takes the other road: the demo
(``seed_demo``, a dossier in every state a candidate can reach) is built once for the module;
then, logged in as each demo account, every URL pattern is filled with the identifiers that
account owns (its documents' codes, its payments, its referees' links, its dossier's reference,
the dossier's page slugs) and those of a neighbour, opened with GET and then sent an empty POST.
No answer may be a 500. Staff and anonymous visitors walk the same URLs.

What a staff account walks (``walk_paths``): the pages under a dossier's reference filled with
that dossier's own identifiers (its documents' pks and codes, its pre-entry documents' kinds),
never with the product of every dossier's identifiers with every other reference (thousands of
404s that read no dossier); the sub-pages of every demo dossier for the administrator, who
passes every role check, and of one dossier per distinct facts (state, forwarded or not, the
later phases' records and their states) for the other staff accounts; the main staff page of
every dossier (BACK_OFFICE) for every staff account whose role the page admits, with the
answer it must give. A refused role, a deactivated account, a visitor get their 403 or login
page before any dossier is read: two dossiers show it. A deactivated account opens one path per
pattern. Each path is opened once.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from django.apps import apps
from django.http import HttpResponseBase
from django.test import Client

from admissions.accounts.models import Role, User
from admissions.companies import links as company_links
from admissions.companies.demo import COMPANY_PHASE_ACCOUNTS
from admissions.companies.models import HostCompany, ListPlace
from admissions.core.access import declared_access
from admissions.dossiers.models import Dossier
from admissions.dossiers.pages import AT_SLUG
from admissions.exams.models import AcademicDecision, Accommodation, Booking, ExamSlot, Grade
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import PREVIEWS
from admissions.preentry.models import ContractValidation, PreEntryDocument
from admissions.referees.links import make_token
from tests.conftest import demo_seeded_once
from tests.core.test_url_access import PATTERNS, SAMPLE_VALUES

DEMO_NOW = "2021-03-01T10:00:00+01:00"  # the instant `make demo` starts its clock at
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
# POSTs that would end the session, change the language or reach the admin's delete and
# change forms are left out, and so are the staff account actions that need no form (an
# administrator's empty POST would deactivate the demo account walked next); every other view
# gets an empty POST.
NO_POST = (
    "account_",
    "mfa_",
    "admin:",
    "set_language",
    "accounts:staff_deactivate",
    "accounts:staff_reset_mfa",
)

DEMO_EMAILS = [
    "admin@demo.example",
    "school-admin@demo.example",
    "invited@demo.example",
    "former@demo.example",
    "central@demo.example",
    "admissions@demo.example",
    "committee@demo.example",
    "committee2@demo.example",
    "jury@demo.example",
    "jury2@demo.example",
    "examiner@demo.example",
    "candidate@demo.example",
    "unconfirmed@demo.example",
    "draft@demo.example",
    "pro@demo.example",
    "waiting@demo.example",
    "ready@demo.example",
    "submitted@demo.example",
    "paid@demo.example",
    "scholarship@demo.example",
    "scholarship-accepted@demo.example",
    "scholarship-refused@demo.example",
    "foreign@demo.example",
    "options@demo.example",
    "continuing@demo.example",
    "transcript-later@demo.example",
    "replacement@demo.example",
    "replacement-sent@demo.example",
    "payment-refused@demo.example",
    "recevable@demo.example",
    "check-refused@demo.example",
    "forwarded@demo.example",
    "admissible@demo.example",
    "not-admissible@demo.example",
    "graded@demo.example",
    "below-list@demo.example",
    "eliminated@demo.example",
    "absent@demo.example",
    "booked@demo.example",
    "accommodation@demo.example",
    "accommodation-approved@demo.example",
    "accommodation-refused@demo.example",
    "convoque@demo.example",
    "convoque-amenagement@demo.example",
    # The company phase (companies/demo.py).
    "company-awaiting@demo.example",
    "company-declined@demo.example",
    "final-admitted@demo.example",
    "age-exemption@demo.example",
    "withdrawn@demo.example",
    "pro-contract@demo.example",
    "sector-mismatch@demo.example",
    "staff-confirmed@demo.example",
    "contract-signed@demo.example",
    "fraud@demo.example",
    "moved-up@demo.example",
    "waiting-list@demo.example",
    # The pre-entry checklists (preentry/demo.py): admitted for good, four states.
    "entree-a-faire@demo.example",
    "entree-a-verifier@demo.example",
    "entree-refusee@demo.example",
    "entree-complete@demo.example",
]


@dataclass
class Identifiers:
    """Values for each URL parameter name, real ones first."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, *found: object) -> None:
        known = self.values.setdefault(name, [])
        known.extend(str(value) for value in found if str(value) not in known)


def dossier_identifiers(dossier: Dossier, into: Identifiers, now: datetime) -> None:
    from admissions.dossiers.selectors import upload_slots

    into.add("code", *dossier.documents.values_list("code", flat=True))
    into.add("code", *dossier.pending_documents.values_list("code", flat=True))
    into.add("code", *upload_slots(dossier, dossier.campaign.params()))
    into.add("pk", *dossier.payments.values_list("pk", flat=True))
    into.add("reference", dossier.reference)
    into.add("token", *(make_token(referee, now=now) for referee in dossier.referees.all()))
    # The company links of the dossier's declarations, signed when declared (as emailed).
    into.add(
        "token",
        *(
            company_links.make_token(company, now=company.declared_at)
            for company in dossier.host_companies.all()
        ),
    )


def own_identifiers(dossier: Dossier) -> Identifiers:
    """The identifiers of a dossier's staff sub-pages, all the dossier's own (never another
    dossier's pk under its reference): its documents' pks and codes, a document's first page,
    its pre-entry documents' kinds."""
    found = Identifiers()
    found.add("reference", dossier.reference)
    found.add("pk", *dossier.documents.order_by("pk").values_list("pk", flat=True))
    found.add("code", *dossier.documents.order_by("pk").values_list("code", flat=True))
    found.add("page", 1)
    found.add("kind", *dossier.preentry_documents.order_by("pk").values_list("kind", flat=True))
    return found


# The records of the later phases whose presence (and state) a dossier's staff pages show.
PHASE_RECORDS = (
    (Booking, None),
    (Accommodation, "state"),
    (Grade, None),
    (AcademicDecision, "outcome"),
    (HostCompany, "state"),
    (ListPlace, "standing"),
    (PreEntryDocument, "review"),
    (ContractValidation, None),
)


def facts(dossier: Dossier) -> tuple[object, ...]:
    """What a staff page of the dossier can meet: its state, whether the committee has it, the
    later phases' records it holds and their states, and whether it has documents, payments."""
    found: list[object] = [dossier.state, dossier.candidate.email in FORWARDED_DEMO]
    for model, state in PHASE_RECORDS:
        rows = model._default_manager.filter(dossier=dossier)
        found.append(sorted(set(rows.values_list(state, flat=True))) if state else rows.exists())
    found += [dossier.documents.exists(), dossier.payments.exists()]
    return tuple(str(fact) for fact in found)


def one_per_facts(dossiers: list[Dossier]) -> list[Dossier]:
    """The first dossier of each distinct set of facts (the demo holds several of most)."""
    chosen: dict[tuple[object, ...], Dossier] = {}
    for dossier in dossiers:
        chosen.setdefault(facts(dossier), dossier)
    return list(chosen.values())


# The one account whose walk opens the sub-pages of every demo dossier: the platform's
# administrator passes every staff page's role check, so each sub-page renders each state.
EVERY_DOSSIER = "admin@demo.example"


def identifiers_for(user: User | None, now: datetime, dossiers: list[Dossier]) -> Identifiers:
    """The account's own identifiers, then a neighbour's; staff get those of ``dossiers``."""
    from admissions.exams.models import ExamDay

    found = Identifiers()
    found.add("slug", *AT_SLUG)
    # The demo exam day and one of its slots (timetable pages, the juries' lists), both formats.
    found.add("day_id", *ExamDay.objects.order_by("pk").values_list("pk", flat=True))
    found.add("slot_id", *ExamSlot.objects.order_by("pk").values_list("pk", flat=True)[:1])
    found.add("fmt", "csv", "xlsx")
    own = [d for d in dossiers if user is not None and d.candidate_id == user.pk]
    if user is not None and user.is_staff_member:
        neighbours = dossiers
        # One email of each state the demo leaves in the outbox, and its template previews.
        emails = OutboundEmail.objects.order_by("pk").values_list("state", "pk")
        found.add("pk", *dict(reversed(emails)).values())
        found.add("kind", *PREVIEWS)
        # The demo's exam slots and days (the jury's grading pages).
        slots = ExamSlot.objects.order_by("starts_at", "pk")
        found.add("slot_id", *slots.values_list("pk", flat=True))
        found.add("day", *sorted({slot.starts_at.date().isoformat() for slot in slots}))
        # The exam days and their panels (exams/booking).
        from admissions.exams.models import ExamDay, ExamPanel

        found.add("day_id", *ExamDay.objects.order_by("pk").values_list("pk", flat=True))
        found.add("panel_id", *ExamPanel.objects.order_by("pk").values_list("pk", flat=True))
    else:
        after = [d for d in dossiers if not own or d.pk > own[0].pk]
        neighbours = (after or dossiers)[:1]
    for dossier in own + neighbours:
        dossier_identifiers(dossier, found, now)
    return found


def admin_object_id(name: str) -> list[str]:
    """admin:<app>_<model>_<view> -> the pk of that model's first row (one that exists)."""
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return [str(first)] if first is not None else []
    return []


def paths_for(name: str, route: str, found: Identifiers) -> Iterator[str]:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    parameters = PARAMETER.findall(route)
    choices = []
    for converter, parameter in parameters:
        if parameter == "object_id":
            values = admin_object_id(name)
        else:
            values = found.values.get(parameter, [])
        # A made-up value only where the account knows none (test_url_access tries those).
        choices.append(values or [SAMPLE_VALUES.get(converter or "str", "x")])
    for combination in itertools.product(*choices):
        filled = iter(combination)

        def fill(_match: re.Match[str], filled: Iterator[str] = filled) -> str:
            return next(filled)

        path = "/" + PARAMETER.sub(fill, route)
        if not any(char in path for char in "()[]?*+\\"):  # regex routes (the admin's app index)
            yield path


def takes_reference(route: str) -> bool:
    return ("str", "reference") in PARAMETER.findall(route)


def walk_paths(
    user: User | None, now: datetime, dossiers: list[Dossier], sample: list[Dossier]
) -> Iterator[tuple[str, str]]:
    """(pattern name, path) of every path the account's walk opens.

    A candidate or a visitor fills every pattern with its own identifiers and a neighbour's.
    A staff account fills each pattern under a dossier's reference with that dossier's own
    identifiers (pairs, not the product of every dossier's with every other's), for every demo
    dossier if it is EVERY_DOSSIER, else for ``sample`` (one dossier per distinct facts); the
    other patterns with the identifiers of those dossiers and of the outbox, the exam days.
    A deactivated account opens one path per pattern: the login page answers them all."""
    if user is not None and user.is_staff_member:
        walked = dossiers if user.email == EVERY_DOSSIER and user.is_active else sample
        found = identifiers_for(user, now, walked)
        per_dossier = [own_identifiers(dossier) for dossier in walked]
    else:
        found = identifiers_for(user, now, dossiers)
        per_dossier = []
    for name, route, _callback in patterns_for(user):
        if per_dossier and takes_reference(route):
            paths = itertools.chain.from_iterable(
                paths_for(name, route, own) for own in per_dossier
            )
        else:
            paths = paths_for(name, route, found)
        if user is not None and not user.is_active:
            paths = itertools.islice(paths, 1)
        for path in paths:
            yield name, path


def patterns_for(user: User | None) -> list[tuple[str, str, object]]:
    """Every pattern; for an account the admin refuses (not is_staff), only the admin's index:
    every other admin page goes through the same ``admin_view`` guard, which sends it to the
    admin's login (test_url_access walks each of them with each role)."""
    if user is not None and user.is_staff:
        return PATTERNS
    return [
        p
        for p in PATTERNS
        if not p[0].startswith("admin:") or p[0] in ("admin:index", "admin:login")
    ]


@dataclass
class Walk:
    """What the GETs of a walk met: the 500s described, each path's answer (status, Location,
    described) and the paths an empty POST goes to next."""

    failures: list[str] = field(default_factory=list)
    answers: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    posts: list[str] = field(default_factory=list)


def walk_gets(client: Client, paths: Iterable[tuple[str, str]]) -> Walk:
    """GET every path; remember each answer and where the empty POSTs go.

    A POST goes where the GET answered a page (200, HTML) or "method not allowed" (405: the
    view takes POST only): where the GET was refused (login, 403, 404) the POST is refused by
    the same check, and downloads take no POST."""
    done = Walk()
    for name, path in paths:
        if path in done.answers:
            continue
        response = client.get(path)
        described = describe("GET", path, response)
        done.answers[path] = (response.status_code, response.get("Location", ""), described)
        if response.status_code >= 500:
            done.failures.append(described)
        page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if (page or response.status_code == 405) and not name.startswith(NO_POST):
            done.posts.append(path)
    return done


def walk_posts(client: Client, done: Walk) -> list[str]:
    """An empty POST to each page the GETs reached; the 500s of the whole walk, described."""
    failures = list(done.failures)
    for path in done.posts:
        response = client.post(path)
        if response.status_code >= 500:
            failures.append(describe("POST", path, response))
    return failures


def describe(method: str, path: str, response: HttpResponseBase) -> str:
    error = getattr(response, "exc_info", None)
    return (
        f"{method} {path} -> {response.status_code} {error[1]!r}"
        if error
        else f"{method} {path} -> {response.status_code}"
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo built once for the module, inside a transaction rolled back at the end."""
    with demo_seeded_once(django_db_blocker):
        yield


@pytest.fixture
def demo_clock(settings) -> datetime:
    settings.CLOCK_AT = DEMO_NOW
    settings.DEBUG = False
    return datetime.fromisoformat(DEMO_NOW)


@pytest.fixture(scope="module")
def sample(demo, django_db_blocker) -> list[Dossier]:
    """One demo dossier per distinct facts (see ``one_per_facts``), computed once."""
    with django_db_blocker.unblock():
        return one_per_facts(list(Dossier.objects.select_related("candidate").order_by("pk")))


def test_the_walk_covers_every_demo_account(demo, db):
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(DEMO_EMAILS)


# --- The back office, page by page, with the answer each demo account must get (issue 11) -----

# The demo dossiers the central check forwarded to the school's committee (R4.1, R5.1).
FORWARDED_DEMO = {
    "recevable@demo.example",
    "forwarded@demo.example",
    "admissible@demo.example",
    "not-admissible@demo.example",
    # Phase 2's demo candidates were all declared admissible, so forwarded first (R6).
    "booked@demo.example",
    "accommodation@demo.example",
    "accommodation-approved@demo.example",
    "accommodation-refused@demo.example",
    "graded@demo.example",
    "below-list@demo.example",
    "eliminated@demo.example",
    "absent@demo.example",
    "convoque@demo.example",
    "convoque-amenagement@demo.example",
    # The company phase's candidates were examined and put on the academic list (R6.4).
    *(email for _key, email, _state in COMPANY_PHASE_ACCOUNTS),
}
# The back office's pages (under /gestion/, ending in "/": the actions, POST only, and the
# downloads do not) that take no identifier or a dossier's reference; the others (a document's
# page, an email) hang off these and are walked for 500s above.
BACK_OFFICE = [
    (name, route, callback)
    for name, route, callback in PATTERNS
    if route.startswith("gestion/")
    and route.endswith("/")
    and set(PARAMETER.findall(route)) <= {("str", "reference")}
    and name != "verification:bulk_export_start"  # POST only: starts an export
]


def expected_answer(user: User | None, rule, route: str, dossier: Dossier | None) -> int:
    """From the demo's facts, not from the view: the login page for a visitor (or a deactivated
    account), 403 for a role the page refuses, 404 for a dossier outside the account's reach,
    else the page."""
    if user is None or not user.is_active:
        return 302
    if not user.roles() & rule.roles:
        return 403
    if dossier is None:
        return 200
    roles = user.roles()
    forwarded = dossier.candidate.email in FORWARDED_DEMO
    if route.startswith("gestion/commission/"):
        return 200 if forwarded else 404
    if route.startswith("gestion/epreuves/amenagements/"):
        # A request for accommodations is the page's object: none, nothing to show (R10.4).
        return 200 if Accommodation.objects.filter(dossier=dossier).exists() else 404
    # Every demo staff grant is on the demo's one school (or every school): the officers and
    # the administrator read every dossier, the committee only those forwarded to it (R9.2).
    if roles & {Role.CENTRAL_OFFICER, Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN}:
        return 200
    if Role.COMMITTEE_MEMBER in roles:
        return 200 if forwarded else 404
    return 404


def checked_dossiers(
    user: User | None, rule, dossiers: list[Dossier], refused: list[Dossier]
) -> list[Dossier]:
    """Every demo dossier, unless the answer cannot depend on it: a visitor or a deactivated
    account is sent to the login page, and a role the page refuses gets its 403, before any
    dossier is read; ``refused`` (one dossier forwarded to the committee, one not) stands then
    for all."""
    if user is None or not user.is_active or not user.roles() & rule.roles:
        return refused
    return dossiers


@pytest.mark.parametrize("email", DEMO_EMAILS + ["anonymous"])
def test_every_page_answers_each_demo_account_as_expected(
    email, demo, sample, db, demo_clock, settings, caplog
):
    """Two checks on one walk (the demo's pages are opened once per account, not twice):

    - every page of the URL conf, with real identifiers (``walk_paths`` says which), answers
      GET and then an empty POST without a 500;
    - each staff page and each demo dossier's staff pages (BACK_OFFICE: every state the demo
      holds) answer the page (200, or the redirect a page like "next dossier" is), the 403 of
      a role the page refuses or the 404 of a dossier outside reach. These answers are the
      walk's own GETs, read before any POST; a back-office path the walk did not open is
      opened then (GET only: its sub-pages and POSTs are those of a dossier of the same facts).

    What the walk leaves out proves nothing new: a staff account other than EVERY_DOSSIER
    opens the sub-pages (documents, pieces, actions) of one dossier per distinct facts, not of
    the several dossiers that share them; the same 403 or login redirect is read on two
    dossiers, not on every one; a deactivated account opens one path per pattern."""
    caplog.set_level(logging.ERROR, logger="django.request")  # every 403 and 404 is logged
    settings.STAFF_REQUIRE_MFA = False  # as `make demo` runs
    client = Client(raise_request_exception=False)
    user = None
    if email != "anonymous":
        user = User.objects.get(email=email)
        client.force_login(user)
    dossiers = list(Dossier.objects.select_related("candidate", "campaign").order_by("pk"))
    assert len(dossiers) >= len(FORWARDED_DEMO) + 15  # every state the back office meets
    refused = [
        next(d for d in sample if d.candidate.email in FORWARDED_DEMO),
        next(d for d in sample if d.candidate.email not in FORWARDED_DEMO),
    ]

    gets = walk_gets(client, walk_paths(user, demo_clock, dossiers, sample))
    wrong = []
    for name, route, callback in BACK_OFFICE:
        rule = declared_access(name, callback)
        targets: list[Dossier | None] = [None]
        if "<" in route:
            targets = list(checked_dossiers(user, rule, dossiers, refused))
        for dossier in targets:
            path = "/" + (PARAMETER.sub(dossier.reference, route) if dossier else route)
            if path in gets.answers:
                got, location, described = gets.answers[path]
            else:
                response = client.get(path)
                got, location = response.status_code, response.get("Location", "")
                described = describe("GET", path, response)
            expected = expected_answer(user, rule, route, dossier)
            if got == 302 and expected == 200 and "/accounts/login/" not in location:
                got = 200  # a page that sends on to another (the next dossier to check)
            if got != expected:
                wrong.append(f"{described} (expected {expected})")
    failures = walk_posts(client, gets)

    assert failures == []
    assert wrong == []
