"""Every URL with every identifier that exists, for every account (R9.2, issue 9).

``test_url_access.py`` walks each URL with made-up identifiers: a 404 there counts as refused, so
an object-level leak cannot make it fail. This walk builds one world (two schools, two
candidates with a dossier in each school, staff of every role granted on school A, on school B
and on every school) and calls each URL, for each account, with every identifier of its kind.
The expected answer comes from who owns each object, never from the view:

- an object within the account's reach answers the URL's success code (200, or the redirect
  of a form), and a page shows no dossier outside that reach;
- an object outside it answers 403 or 404 (or the login page), never its data.

Adding a URL is one line of ``URLS`` (its identifier kind, method, success code and who
reaches its objects); adding an identifier kind is one entry of ``KINDS``. A parametrised URL
filled by neither fails ``test_every_parametrised_url_is_walked_with_real_identifiers``, unless
``NOT_FILLED`` says why it cannot be.

Which campaign: staff pages read the dossiers of the schools of their grants, every campaign
(``dossiers/permissions.py``); a candidate's dossier pages act on their dossier of the campaign
the platform shows (settings.DEFAULT_CAMPAIGN, school A here), their receipts on any of theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.urls import reverse

from admissions.accounts.models import STAFF_ROLES, Role, RoleGrant, User
from admissions.alternation.services import create_subscription
from admissions.campaigns.models import Campaign, CampaignExtension
from admissions.committee.services import decide_admissibility, record_score
from admissions.companies import links as company_links
from admissions.companies.models import HostCompany, ListPlace
from admissions.company_search.models import (
    PhoneAdviceRequest,
    PresentationFile,
    SessionRegistration,
    TrainingSession,
)
from admissions.core import demo, exports
from admissions.core.access import (
    ANONYMOUS,
    CANDIDATE,
    COMMITTEE,
    OUTBOX,
    SCHOOL_OFFICER,
    AccessRule,
    declared_access,
)
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.pages import AT_SLUG
from admissions.dossiers.services import open_dossier
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel, ExamSlot, Grade
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import PREVIEWS, queue_email
from admissions.payments.models import Payment
from admissions.payments.services import decide_payment
from admissions.preentry.models import ContractValidation, PreEntryDocument
from admissions.referees import links
from admissions.referees.models import Referee
from admissions.support.services import post_message
from admissions.verification.models import BulkExport
from admissions.verification.services import (
    build_bulk_export,
    decide_dossier,
    start_bulk_export,
)
from tests.core.test_url_access import PATTERNS
from tests.schools import REFERENCE_CAMPAIGN, REFERENCE_SCHOOL, load_school_campaign

# One world per module: the walk's tests run on one xdist worker (pyproject: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("url_walk")

NOW = datetime(2021, 2, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
STAFF_ROLE_LIST = [
    Role.CENTRAL_OFFICER,
    Role.SCHOOL_OFFICER,
    Role.COMMITTEE_MEMBER,
    Role.JURY_MEMBER,
    Role.PLATFORM_ADMIN,
]
WHERE = ("a", "b", "all")  # a grant for school A, for school B, for every school
ACCOUNTS = [ANONYMOUS, "candidate-1", "candidate-2"] + [
    f"{role.value}-{where}" for role in STAFF_ROLE_LIST for where in WHERE
]


# --- The world ------------------------------------------------------------------------------


@dataclass
class World:
    schools: dict[str, int]  # "a", "b" -> School pk
    accounts: dict[str, User]
    dossiers: list[Dossier]
    tokens: dict[str, Dossier]  # referee link -> the dossier it is about
    calendar_tokens: dict[str, Dossier] = field(default_factory=dict)  # ICS feed -> its dossier
    company_tokens: dict[str, HostCompany] = field(default_factory=dict)  # company link -> its own
    admin_rows: dict[str, str] = field(default_factory=dict)  # "app/model" -> a pk of that model


def build_world() -> World:
    """Two schools; each candidate has a dossier in each, with documents, both referees'
    answers, messages both ways and a declared payment. Three are submitted; candidate 2's
    school A dossier is complete but not submitted and holds a scholarship proof that
    candidate 1's does not, so a document looked up by its code alone would leak."""
    campaign_a = load_school_campaign(REFERENCE_SCHOOL, REFERENCE_CAMPAIGN)  # the reference
    campaign_b = load_school_campaign("ecole-b", "ecole-b-2021")
    schools = {"a": campaign_a.school_id, "b": campaign_b.school_id}
    accounts: dict[str, User] = {}
    for role in STAFF_ROLE_LIST:
        for where in WHERE:
            user = User.objects.create_user(
                f"{role.value}-{where}@example.org",
                "a-long-password-1",
                is_staff=role == Role.PLATFORM_ADMIN,  # the admin also asks for Django's flag
            )
            school = None if where == "all" else schools[where]
            RoleGrant.objects.create(user=user, role=role, school_id=school)
            if role == Role.PLATFORM_ADMIN:  # every model permission: only the scope differs
                user.user_permissions.set(Permission.objects.all())
            accounts[f"{role.value}-{where}"] = user
    officer = accounts["central_officer-all"]
    dossiers = []
    for number in (1, 2):
        candidate = User.objects.create_user(f"candidate-{number}@example.org", "pw-long-1234")
        accounts[f"candidate-{number}"] = candidate
        for campaign in (campaign_a, campaign_b):
            dossier = open_dossier(candidate=candidate, campaign=campaign, now=NOW)
            if number == 2 and campaign == campaign_a:
                demo.scholarship_holder(Document.Review.UNCHECKED)(dossier, campaign, officer, NOW)
            else:
                demo.submitted(last_name=f"Nom{number}")(dossier, campaign, officer, NOW)
            post_message(
                dossier=dossier, author=candidate, body="Question", from_staff=False, now=NOW
            )
            post_message(dossier=dossier, author=officer, body="Réponse", from_staff=True, now=NOW)
            dossiers.append(dossier)
    # Candidate 1's school B payment and candidate 2's school A payment are confirmed; the
    # others wait for staff.
    for dossier in (dossiers[1], dossiers[2]):
        decide_payment(payment=dossier.payments.get(), received=True, by=officer, now=NOW)
    staff_areas(world_accounts=accounts, dossiers=dossiers, schools=schools)
    exam_rows(accounts, dossiers)
    exam_timetables(world_accounts=accounts, dossiers=dossiers)
    exam_grades(world_accounts=accounts, dossiers=dossiers)
    tokens = {
        links.make_token(referee, now=NOW): referee.dossier
        for referee in Referee.objects.select_related("dossier")
    }
    world = World(schools, accounts, dossiers, tokens)
    world.calendar_tokens = {
        create_subscription(
            campaign=dossier.campaign,
            kind="apprentice",
            label=f"Apprenti {dossier.reference}",
            by=accounts["platform_admin-all"],
            dossier=dossier,
        ).token: dossier
        for dossier in dossiers
    }
    world.company_tokens = {
        company_links.make_token(company, now=NOW): company
        for company in HostCompany.objects.select_related("dossier__campaign")
    }
    company_search_rows(accounts, dossiers)
    admin_rows(accounts, campaign_b)
    for model in admin.site._registry:
        row = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if row is not None:
            world.admin_rows[f"{model._meta.app_label}/{model._meta.model_name}"] = str(row)
    return world


def staff_areas(*, world_accounts: dict[str, User], dossiers: list[Dossier], schools) -> None:
    """Candidate 1's dossier in each school forwarded by the central check and scored by its
    school's committee member (school B's also decided); an outbox email about every dossier;
    a bulk PDF export asked by each school's central officer, built."""
    officer = world_accounts["central_officer-all"]
    for dossier, where in ((dossiers[0], "a"), (dossiers[1], "b")):
        demo.officer_reviews(
            dossier, officer, NOW, valid=tuple(dossier.documents.values_list("code", flat=True))
        )
        decide_dossier(dossier=dossier, by=officer, now=NOW, verdict="recevable")
        record_score(
            dossier=dossier,
            member=world_accounts[f"committee_member-{where}"],
            score=Decimal("12"),
            comment="Walk",
            now=NOW,
        )
    decide_admissibility(
        dossier=dossiers[1],
        by=world_accounts["school_officer-b"],
        admissible=True,
        comment="",
        now=NOW,
    )
    # Candidate 1's host company in each school, awaiting its answer (R7.1): made as rows, the
    # walk's instant being before the academic results.
    for dossier, where in ((dossiers[0], "a"), (dossiers[1], "b")):
        HostCompany.objects.create(
            dossier=dossier,
            name=f"Entreprise {where.upper()} de la visite",
            siret="73282932000074",
            sector="industrie-mecanique",
            address="1 rue de l'Usine",
            contract_type=HostCompany.ContractType.APPRENTICESHIP,
            contract_start=NOW.date(),
            tutor_name="Tuteur",
            tutor_role="Responsable",
            tutor_email=f"tuteur-{where}@example.org",
            tutor_phone="05 00 00 00 00",
            declared_at=NOW,
        )
    preentry_rows(dossiers[0], dossiers[1], by=world_accounts["school_officer-all"])
    for dossier in dossiers:
        queue_email(
            kind=OutboundEmail.Kind.values[0],
            key=f"walk-{dossier.reference}",
            recipient=dossier.candidate.email,
            dossier=dossier,
        )
    queue_email(kind=OutboundEmail.Kind.values[0], key="walk-account", recipient="x@example.org")
    for where in ("a", "b"):
        school_dossiers = Dossier.objects.filter(campaign__school_id=schools[where])
        export = start_bulk_export(
            by=world_accounts[f"central_officer-{where}"],
            campaign=school_dossiers[0].campaign,
            dossiers=school_dossiers,
            now=NOW,
        )
        build_bulk_export(export_id=export.pk, now=NOW)  # its task waits for a commit


def preentry_rows(*dossiers: Dossier, by: User) -> None:
    """Candidate 1 admitted for good in each school (R7.2), with a diploma copy sent and the
    contract's validation by MidiSup recorded with its evidence (R7.4): made as rows."""
    for dossier in dossiers:
        ListPlace.objects.create(
            dossier=dossier,
            standing=ListPlace.Standing.ADMITTED,
            seat_group="apprentissage",
            rank=1,
            since=NOW,
        )
        PreEntryDocument.objects.create(
            dossier=dossier,
            kind=PreEntryDocument.Kind.DIPLOMA,
            file=ContentFile(demo.demo_pdf(), name="diplome.pdf"),
            format="pdf",
            content_type="application/pdf",
            size_bytes=100,
            original_name="diplome.pdf",
            uploaded_at=NOW,
        )
        ContractValidation.objects.create(
            dossier=dossier,
            validated_on=NOW.date(),
            evidence=ContentFile(demo.demo_pdf(), name="midisup.pdf"),
            evidence_format="pdf",
            recorded_at=NOW,
            recorded_by=by,
        )


EXAM_DATE = date(2021, 3, 30)  # exam_rows books candidate 1 on it


def exam_grades(*, world_accounts: dict[str, User], dossiers: list[Dossier]) -> None:
    """Candidate 1's interview graded in each school (R6.3); the every-school jury member sits
    on each school's jury too."""
    for dossier, where in ((dossiers[0], "a"), (dossiers[1], "b")):
        slot = ExamSlot.objects.select_related("panel").get(
            booking__dossier=dossier, exam_code="interview"
        )
        slot.panel.members.add(world_accounts["jury_member-all"])
        Grade.objects.create(
            dossier=dossier,
            exam_code="interview",
            grade=Decimal("12"),
            graded_by=world_accounts[f"jury_member-{where}"],
            graded_at=NOW,
        )


def exam_rows(accounts: dict[str, User], dossiers: list[Dossier]) -> None:
    """An exam day with a panel in each school's campaign; candidate 1 booked on it in each,
    with an accommodation request (exams/booking)."""
    for dossier, where in ((dossiers[0], "a"), (dossiers[1], "b")):
        day = ExamDay.objects.create(
            campaign=dossier.campaign,
            date=date(2021, 3, 30),
            starts_at=time(8),
            ends_at=time(18),
            capacity=5,
            booked=1,
        )
        panel = ExamPanel.objects.create(day=day, exam_code="interview", name="Jury 1")
        panel.members.set([accounts[f"jury_member-{where}"]])
        Booking.objects.create(dossier=dossier, day=day, booked_at=NOW, booked_by=dossier.candidate)
        Accommodation.objects.create(
            dossier=dossier,
            needs="Tiers temps",
            proof=ContentFile(b"%PDF-1.4 walk", name="walk.pdf"),
            proof_name="walk.pdf",
            requested_at=NOW,
        )


def exam_timetables(*, world_accounts: dict[str, User], dossiers: list[Dossier]) -> None:
    """On candidate 1's booked day in each school (exam_rows): a jury (the school's jury member)
    and an examiner (nobody), the timetable's two slots and a convocation."""
    from datetime import timedelta

    from admissions.exams.models import Booking, ExamPanel, ExamSlot
    from admissions.exams.services.timetable import send_convocations

    for dossier, where in ((dossiers[0], "a"), (dossiers[1], "b")):
        booking = Booking.objects.select_related("day").get(dossier=dossier)
        day = booking.day
        day.timetable_built_at = NOW
        day.save(update_fields=["timetable_built_at"])
        jury = ExamPanel.objects.create(day=day, exam_code="interview", name="Jury")
        jury.members.add(world_accounts[f"jury_member-{where}"])
        examiner = ExamPanel.objects.create(day=day, exam_code="english", name="Examinateur")
        start = NOW.replace(hour=9, minute=0)
        for code, panel, offset, length in (
            ("interview", jury, 0, 30),
            ("english", examiner, 45, 15),
        ):
            ExamSlot.objects.create(
                booking=booking,
                exam_code=code,
                panel=panel,
                starts_at=start + timedelta(minutes=offset),
                ends_at=start + timedelta(minutes=offset + length),
            )
        send_convocations(day=day, by=world_accounts["school_officer-all"], now=NOW)


def company_search_rows(accounts: dict[str, User], dossiers: list[Dossier]) -> None:
    """In each school (R7.3): a training session with candidate 1 registered, candidate 1's
    phone advice request; school A's presentation file for companies."""
    starts = datetime(2021, 6, 15, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for dossier, where in ((dossiers[0], "a"), (dossiers[1], "b")):
        session = TrainingSession.objects.create(
            campaign=dossier.campaign,
            starts_at=starts,
            ends_at=starts.replace(hour=17),
            place=f"Salle {where.upper()}",
            capacity=10,
            registered=1,
            created_at=NOW,
            created_by=accounts[f"school_officer-{where}"],
        )
        SessionRegistration.objects.create(session=session, dossier=dossier, registered_at=NOW)
        PhoneAdviceRequest.objects.create(
            dossier=dossier, phone="06 00 00 00 00", preferred_times="soir", requested_at=NOW
        )
    PresentationFile.objects.create(
        campaign=dossiers[0].campaign,
        file=ContentFile(demo.demo_pdf("Walk"), name="walk.pdf"),
        size_bytes=1,
        uploaded_at=NOW,
        uploaded_by=accounts["school_officer-a"],
    )


def admin_rows(accounts: dict[str, User], campaign_b: Campaign) -> None:
    """A row for each model of the admin that the dossiers leave empty."""
    CampaignExtension.objects.create(
        campaign=campaign_b,
        window=CampaignExtension.Window.EXAMS,
        closes_at=NOW,
        reason="Walk",
        candidate_ref="NOBODY",
    )
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django_tasks_db.models import DBTaskResult
    from dsfr.models import DsfrConfig

    Group.objects.create(name="walk")
    EmailAddress.objects.create(user=accounts["candidate-1"], email="candidate-1@example.org")
    Authenticator.objects.create(
        user=accounts["platform_admin-all"], type="recovery_codes", data={"migrated_codes": []}
    )
    DsfrConfig.objects.get_or_create()
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="admissions.notifications.tasks.deliver_email",
        backend_name="default",
        run_after=NOW,
        exception_class_path="",
        traceback="",
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back after its last test; each test
    runs inside it (pytest-django's own transaction is a savepoint of this one)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# --- Identifier kinds: every identifier that exists, and the dossiers each one reaches ----------


@dataclass(frozen=True)
class Target:
    value: str
    dossiers: tuple[Dossier, ...]  # the dossiers behind the identifier (several for a code)
    state: str = ""  # what the object is, when the URL's answer depends on it (a payment's)
    rest: tuple[str, ...] = ()  # the route's further identifiers (a document of a dossier)
    owner: User | None = None  # a bulk export's requester; a staff account itself


def payments(world: World) -> list[Target]:
    return [
        Target(str(p.pk), (p.dossier,), p.state) for p in Payment.objects.select_related("dossier")
    ]


def references(world: World) -> list[Target]:
    return [Target(d.reference, (d,)) for d in world.dossiers]


def document_codes(world: World) -> list[Target]:
    by_code: dict[str, list[Dossier]] = {}
    for document in Document.objects.select_related("dossier").exclude(file=""):
        by_code.setdefault(document.code, []).append(document.dossier)
    return [Target(code, tuple(dossiers)) for code, dossiers in sorted(by_code.items())]


def page_slugs(world: World) -> list[Target]:
    return [Target(slug, ()) for slug in AT_SLUG]


def referee_tokens(world: World) -> list[Target]:
    return [Target(token, (dossier,)) for token, dossier in world.tokens.items()]


def calendar_tokens(world: World) -> list[Target]:
    return [Target(token, (dossier,)) for token, dossier in world.calendar_tokens.items()]


def academic_years(world: World) -> list[Target]:
    """The public alternation calendar: the campaign's academic year, and one it has not."""
    return [Target("2021-2022", ()), Target("2030-2031", (), state="absent")]


def company_tokens(world: World) -> list[Target]:
    return [Target(token, (c.dossier,), owner=None) for token, c in world.company_tokens.items()]


def preentry_kinds(world: World) -> list[Target]:
    """A pre-entry document's kind (the candidate's URL names no dossier: their own)."""
    by_kind: dict[str, list[Dossier]] = {}
    for document in PreEntryDocument.objects.select_related("dossier"):
        by_kind.setdefault(document.kind, []).append(document.dossier)
    return [Target(kind, tuple(dossiers)) for kind, dossiers in sorted(by_kind.items())]


def preentry_documents(world: World) -> list[Target]:
    return [
        Target(d.dossier.reference, (d.dossier,), rest=(d.kind,))
        for d in PreEntryDocument.objects.select_related("dossier").order_by("pk")
    ]


def contract_validations(world: World) -> list[Target]:
    return [
        Target(v.dossier.reference, (v.dossier,))
        for v in ContractValidation.objects.select_related("dossier").order_by("pk")
    ]


def dossier_documents(world: World) -> list[Target]:
    """One stored document of each dossier, by its dossier's reference and its pk."""
    targets = []
    for dossier in world.dossiers:
        document = dossier.documents.exclude(file="").order_by("pk").first()
        assert document is not None
        targets.append(Target(dossier.reference, (dossier,), rest=(str(document.pk),)))
    return targets


def document_pages(world: World) -> list[Target]:
    return [Target(t.value, t.dossiers, rest=(*t.rest, "1")) for t in dossier_documents(world)]


def committee_documents(world: World) -> list[Target]:
    targets = []
    for dossier in world.dossiers:
        document = dossier.documents.exclude(file="").order_by("pk").first()
        assert document is not None
        targets.append(Target(dossier.reference, (dossier,), rest=(document.code,)))
    return targets


def emails(world: World) -> list[Target]:
    return [
        Target(str(e.pk), (e.dossier,) if e.dossier else ())
        for e in OutboundEmail.objects.select_related("dossier").order_by("pk")
    ]


def email_kinds(world: World) -> list[Target]:
    return [Target(kind, ()) for kind in sorted(PREVIEWS)]


def export_formats(world: World) -> list[Target]:
    return [Target(fmt, ()) for fmt in sorted(exports.FORMATS)]


def bulk_exports(world: World) -> list[Target]:
    return [
        Target(str(e.pk), tuple(e.dossiers.all()), owner=e.requested_by)
        for e in BulkExport.objects.select_related("requested_by").order_by("pk")
    ]


def staff_accounts(world: World) -> list[Target]:
    return [
        Target(str(user.pk), (), owner=user)
        for key, user in world.accounts.items()
        if not key.startswith("candidate")
    ]


def staff_grants(world: World) -> list[Target]:
    return [
        Target(str(grant.user_id), (), owner=grant.user, rest=(str(grant.pk),))
        for grant in RoleGrant.objects.filter(role__in=sorted(STAFF_ROLES)).select_related("user")
    ]


def exam_slot_ids(world: World) -> list[Target]:
    return [
        Target(str(slot.pk), (slot.booking.dossier,), rest=(), owner=None)
        for slot in ExamSlot.objects.select_related("booking__dossier").order_by("pk")
    ]


def exam_day_targets(world: World) -> list[Target]:
    from admissions.exams.models import ExamDay

    return [
        Target(str(day.pk), tuple(b.dossier for b in day.bookings.select_related("dossier")))
        for day in ExamDay.objects.order_by("pk")
    ]


def exam_day_slots(world: World) -> list[Target]:
    from admissions.exams.models import ExamSlot

    return [
        Target(str(slot.booking.day_id), (slot.booking.dossier,), rest=(str(slot.pk),))
        for slot in ExamSlot.objects.select_related("booking__dossier").order_by("pk")
    ]


def exam_dates(world: World) -> list[Target]:
    return [Target(EXAM_DATE.isoformat(), ())]


def _campaign_dossier(campaign_id: int, world: World) -> Dossier:
    return next(d for d in world.dossiers if d.campaign_id == campaign_id)


def exam_days(world: World) -> list[Target]:
    return [
        Target(str(day.pk), (_campaign_dossier(day.campaign_id, world),))
        for day in ExamDay.objects.all()
    ]


def exam_panels(world: World) -> list[Target]:
    return [
        Target(str(panel.pk), (_campaign_dossier(panel.day.campaign_id, world),))
        for panel in ExamPanel.objects.select_related("day")
    ]


def exam_bookings(world: World) -> list[Target]:
    return [
        Target(booking.dossier.reference, (booking.dossier,))
        for booking in Booking.objects.select_related("dossier")
    ]


def exam_accommodations(world: World) -> list[Target]:
    return [
        Target(row.dossier.reference, (row.dossier,))
        for row in Accommodation.objects.select_related("dossier")
    ]


def exam_export_formats(world: World) -> list[Target]:
    """The bookings export of the campaign shown (school A's)."""
    shown = next(d for d in world.dossiers if d.campaign.code == REFERENCE_CAMPAIGN)
    return [Target(fmt, (shown,)) for fmt in ("csv", "xlsx")]


def exam_day_exports(world: World) -> list[Target]:
    return [
        Target(t.value, t.dossiers, rest=(fmt,))
        for t in exam_day_targets(world)
        for fmt in sorted(exports.FORMATS)
    ]


def training_sessions(world: World) -> list[Target]:
    return [
        Target(str(session.pk), (_campaign_dossier(session.campaign_id, world),))
        for session in TrainingSession.objects.order_by("pk")
    ]


def phone_requests(world: World) -> list[Target]:
    return [
        Target(str(row.pk), (row.dossier,))
        for row in PhoneAdviceRequest.objects.select_related("dossier__campaign")
    ]


def presentation_campaigns(world: World) -> list[Target]:
    uploaded = set(PresentationFile.objects.values_list("campaign__code", flat=True))
    return [
        Target(code, (), state="uploaded" if code in uploaded else "absent")
        for code in Campaign.objects.order_by("code").values_list("code", flat=True)
    ]


KINDS: dict[str, Callable[[World], list[Target]]] = {
    "training_session": training_sessions,
    "phone_request": phone_requests,
    "presentation_campaign": presentation_campaigns,
    "exam_day_booked": exam_day_targets,
    "exam_day_slot": exam_day_slots,
    "exam_day_export": exam_day_exports,
    "payment": payments,
    "reference": references,
    "document_code": document_codes,
    "page_slug": page_slugs,
    "referee_token": referee_tokens,
    "calendar_token": calendar_tokens,
    "academic_year": academic_years,
    "company_token": company_tokens,
    "dossier_document": dossier_documents,
    "preentry_kind": preentry_kinds,
    "preentry_document": preentry_documents,
    "contract_validation": contract_validations,
    "document_page": document_pages,
    "committee_document": committee_documents,
    "email": emails,
    "email_kind": email_kinds,
    "export_format": export_formats,
    "bulk_export": bulk_exports,
    "staff_account": staff_accounts,
    "staff_grant": staff_grants,
    "grading_slot": exam_slot_ids,
    "exam_date": exam_dates,
    "exam_day": exam_days,
    "exam_panel": exam_panels,
    "exam_booking": exam_bookings,
    "exam_accommodation": exam_accommodations,
    "exam_export_format": exam_export_formats,
}


# --- Who reaches an object: from ownership and grants, never from the view ---------------------


def grants_cover(account: User, roles: Iterable[str], dossier: Dossier) -> bool:
    school = dossier.campaign.school_id
    return any(role in roles and granted in (None, school) for role, granted in account.grants())


def staff_scope(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A staff grant with one of the rule's roles covers the school of the object's dossier."""
    return account is not None and any(
        grants_cover(account, rule.roles, d) for d in target.dossiers
    )


def own_current(account: User | None, target: Target, rule: AccessRule) -> bool:
    """The candidate's dossier of the campaign shown (their pages' dossier) holds the object."""
    return account is not None and any(
        d.candidate_id == account.pk and d.campaign.code == REFERENCE_CAMPAIGN
        for d in target.dossiers
    )


def own_confirmed(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A confirmed payment of any of the candidate's dossiers (its receipt)."""
    owned = account is not None and any(d.candidate_id == account.pk for d in target.dossiers)
    return owned and target.state == Payment.State.CONFIRMED


def any_candidate(account: User | None, target: Target, rule: AccessRule) -> bool:
    """The identifier names a slot or a page of whichever dossier is the candidate's own."""
    return True


def the_link_is_the_key(account: User | None, target: Target, rule: AccessRule) -> bool:
    return True


def published_year(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A public page of an academic year the campaign has a calendar for."""
    return target.state != "absent"


def every_school_admin(account: User | None, target: Target, rule: AccessRule) -> bool:
    """The admin is not scoped: only an administrator of every school opens it."""
    return account is not None and (Role.PLATFORM_ADMIN, None) in account.grants()


def uploaded(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A public file that exists: anyone."""
    return target.state == "uploaded"


def candidate_of_campaign_shown(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A candidate's action on an object of the campaign shown (their pages' dossier)."""
    return account is not None and any(
        d.campaign.code == REFERENCE_CAMPAIGN for d in target.dossiers
    )


def forwarded(dossier: Dossier) -> bool:
    return Dossier.objects.filter(pk=dossier.pk, central_check__verdict="recevable").exists()


def staff_reads(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A staff page of a dossier (dossiers/permissions.py): a grant with one of the rule's
    roles covers the dossier's school; the committee reads only forwarded dossiers, the jury
    none yet."""
    if account is None:
        return False
    for dossier in target.dossiers:
        for role, granted in account.grants():
            if role not in rule.roles or granted not in (None, dossier.campaign.school_id):
                continue
            if role == Role.JURY_MEMBER or (
                role == Role.COMMITTEE_MEMBER and not forwarded(dossier)
            ):
                continue
            return True
    return False


def before_committee(account: User | None, target: Target, rule: AccessRule) -> bool:
    """The committee's pages: a forwarded dossier of the campaign shown (school A), for a
    grant of the committee's readers covering its school."""
    return any(
        d.campaign.code == REFERENCE_CAMPAIGN and forwarded(d) for d in target.dossiers
    ) and staff_scope(account, target, COMMITTEE)


def outbox_reader(account: User | None, target: Target, rule: AccessRule) -> bool:
    """An email about a dossier for grants covering its school; one about no dossier (an
    account's) for grants on every school only."""
    if account is None:
        return False
    schools = {d.campaign.school_id for d in target.dossiers}
    return any(
        role in OUTBOX.roles and (granted is None or granted in schools)
        for role, granted in account.grants()
    )


def every_reader(account: User | None, target: Target, rule: AccessRule) -> bool:
    """No object behind the identifier (a format, a kind of email): whoever the rule admits."""
    return True


def requester(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A bulk export: its requester's, or an administrator's whose grants cover every school
    of its dossiers."""
    if account is None:
        return False
    if target.owner is not None and target.owner.pk == account.pk:
        return True
    return bool(target.dossiers) and all(
        grants_cover(account, {Role.PLATFORM_ADMIN}, d) for d in target.dossiers
    )


def account_manager(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A staff account, for an administrator of every school or of a school one of its staff
    grants is for (accounts/selectors.py)."""
    if account is None or target.owner is None:
        return False
    admin_of = {school for role, school in account.grants() if role == Role.PLATFORM_ADMIN}
    if None in admin_of:
        return True
    return any(school in admin_of for _role, school in target.owner.grants())


def panel_member(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A slot (R6.3): a member of its panel, whose jury grant covers the dossier's school."""
    if account is None:
        return False
    slot = ExamSlot.objects.get(pk=target.value)
    return slot.panel.members.filter(pk=account.pk).exists() and any(
        grants_cover(account, {Role.JURY_MEMBER}, d) for d in target.dossiers
    )


def reads_campaign_shown(account: User | None, target: Target, rule: AccessRule) -> bool:
    """The academic list's exports: the campaign shown (school A), for a grant of the rule's
    roles covering its school."""
    if account is None:
        return False
    school = Campaign.objects.get(code=REFERENCE_CAMPAIGN).school_id
    return any(
        role in rule.roles and granted in (None, school) for role, granted in account.grants()
    )


def exam_officer(account: User | None, target: Target, rule: AccessRule) -> bool:
    """The exams' staff pages (exams/booking): an object of the campaign shown (school A), for
    a school officer's or an administrator's grant covering its school."""
    return any(d.campaign.code == REFERENCE_CAMPAIGN for d in target.dossiers) and staff_scope(
        account, target, SCHOOL_OFFICER
    )


def sits_on_the_day(account: User | None, target: Target, rule: AccessRule) -> bool:
    """A jury member's or examiner's day: they sit on one of its panels (their own list only)."""
    from admissions.exams.models import ExamPanel

    return (
        account is not None
        and ExamPanel.objects.filter(day_id=int(target.value), members=account).exists()
    )


@dataclass(frozen=True)
class Case:
    """How to call one URL: its identifier kind, who reaches an object, what success answers."""

    kind: str
    reaches: Callable[[User | None, Target, AccessRule], bool]
    method: str = "get"
    success: int | None = 200  # None: the admin's own answer (403 to delete an audit entry)
    data: dict = field(default_factory=dict)


URLS: dict[str, Case] = {
    "payments:decide": Case(
        "payment", staff_scope, method="post", success=302, data={"decision": "confirm"}
    ),
    "payments:receipt": Case("payment", own_confirmed),
    "support:staff_thread": Case("reference", staff_scope),
    "dossiers:document_file": Case("document_code", own_current),
    "dossiers:upload": Case("document_code", any_candidate, method="post", success=302),
    "dossiers:mark_pending": Case("document_code", any_candidate, method="post", success=302),
    "dossiers:page": Case("page_slug", any_candidate),
    "referees:recommendation": Case("referee_token", the_link_is_the_key),
    # The alternation calendar (R8.1): public pages; each feed opened by its token alone.
    "alternation:table": Case("academic_year", published_year),
    "alternation:pdf": Case("academic_year", published_year),
    "alternation:feed": Case("calendar_token", the_link_is_the_key),
    # The central check (verification/views): pages for every reader, acts for the officers.
    "verification:dossier": Case("reference", staff_reads),
    "verification:document_page": Case("document_page", staff_reads),
    "verification:document_original": Case("dossier_document", staff_reads),
    "verification:review_document": Case(
        "dossier_document", staff_scope, method="post", success=302, data={"verdict": "valid"}
    ),
    "verification:notify": Case("reference", staff_scope, method="post", success=302),
    "verification:decide": Case(
        "reference", staff_scope, method="post", success=302, data={"verdict": "recevable"}
    ),
    "verification:queue_export": Case("export_format", every_reader),
    "verification:bulk_export": Case("bulk_export", requester),
    "verification:bulk_export_download": Case("bulk_export", requester),
    "committee:dossier": Case("reference", before_committee),
    "committee:document_file": Case("committee_document", before_committee),
    "committee:score": Case(
        "reference", before_committee, method="post", success=302, data={"score": "11"}
    ),
    "committee:decide": Case(
        "reference", before_committee, method="post", success=302, data={"admissible": "yes"}
    ),
    "notifications:detail": Case("email", outbox_reader),
    "notifications:send_again": Case("email", outbox_reader, method="post", success=302),
    "notifications:template": Case("email_kind", every_reader),
    "payments:export": Case("export_format", every_reader),
    "support:staff_list_export": Case("export_format", every_reader),
    "statistics:funnel_export": Case("export_format", every_reader),
    "accounts:staff_detail": Case("staff_account", account_manager),
    "accounts:staff_deactivate": Case("staff_account", account_manager),
    "accounts:staff_reset_mfa": Case("staff_account", account_manager),
    "accounts:staff_reactivate": Case("staff_account", account_manager, method="post", success=302),
    "accounts:staff_reinvite": Case("staff_account", account_manager, method="post", success=302),
    "accounts:staff_add_grant": Case("staff_account", account_manager, method="post", success=200),
    "accounts:staff_revoke_grant": Case("staff_grant", account_manager),
    # Phase 2 grading (exams/views/grading.py): a jury member's own panels' candidates only.
    "exams_grading:grade": Case("grading_slot", panel_member),
    "exams_grading:day": Case("exam_date", every_reader),
    "exams_grading:grades_export": Case("export_format", reads_campaign_shown),
    "exams_grading:academic_list_export": Case("export_format", reads_campaign_shown),
    "exams_booking:day": Case("exam_day", exam_officer),
    "exams_booking:panel_new": Case("exam_day", exam_officer),
    "exams_booking:panel": Case("exam_panel", exam_officer),
    "exams_booking:move": Case("exam_booking", exam_officer),
    "exams_booking:bookings_export": Case("exam_export_format", exam_officer),
    "exams_booking:accommodation_detail": Case("exam_accommodation", exam_officer),
    "exams_booking:accommodation_proof_staff": Case("exam_accommodation", exam_officer),
    # The exam timetables: the day's school officers; a jury member's own days only.
    "exams_timetable:day": Case("exam_day_booked", staff_scope),
    "exams_timetable:build": Case("exam_day_booked", staff_scope, method="post", success=302),
    "exams_timetable:convocations": Case(
        "exam_day_booked", staff_scope, method="post", success=302
    ),
    "exams_timetable:adjust": Case("exam_day_slot", staff_scope, method="post", success=400),
    "exams_timetable:export_day": Case("exam_day_export", staff_scope),
    "exams_timetable:export_all": Case("export_format", every_reader),
    "exams_timetable:jury_day": Case("exam_day_booked", sits_on_the_day),
    "exams_timetable:jury_day_pdf": Case("exam_day_booked", sits_on_the_day),
    "exams_timetable:jury_day_ics": Case("exam_day_booked", sits_on_the_day),
    # The company phase (companies/views): a school officer of the dossier's school.
    "companies:link": Case("company_token", the_link_is_the_key),
    "companies:staff_dossier": Case("reference", staff_scope),
    "companies:confirm": Case(
        "reference", staff_scope, method="post", success=302, data={"evidence": "Walk"}
    ),
    "companies:contract_date": Case("reference", staff_scope, method="post", success=302),
    "companies:exemption": Case(
        "reference", staff_scope, method="post", success=302, data={"exempt": "no", "reason": "W"}
    ),
    "companies:fraud": Case(
        "reference", staff_scope, method="post", success=302, data={"kind": "fraud", "reason": "W"}
    ),
    "companies:withdraw": Case(
        "reference", staff_scope, method="post", success=302, data={"reason": "Walk"}
    ),
    "companies:final_list_export": Case("export_format", every_reader),
    # The company-search help (company_search/views): officers of the session's school; a
    # candidate acts on a session of the campaign shown only; the presentation file is public.
    "company_search:register": Case(
        "training_session", candidate_of_campaign_shown, method="post", success=302
    ),
    "company_search:unregister": Case(
        "training_session", candidate_of_campaign_shown, method="post", success=302
    ),
    "company_search:session": Case("training_session", staff_scope),
    "company_search:invite": Case("training_session", staff_scope, method="post", success=302),
    "company_search:cancel": Case(
        "training_session", staff_scope, method="post", success=302, data={"reason": "Walk"}
    ),
    "company_search:phone_done": Case("phone_request", staff_scope, method="post", success=302),
    "company_search:presentation": Case("presentation_campaign", uploaded),
    "company_search:registrations_export": Case("export_format", reads_campaign_shown),
    "company_search:phone_export": Case("export_format", reads_campaign_shown),
    "companies:waiting_list_export": Case("export_format", every_reader),
    # The pre-entry checklist (preentry/views): the candidate's own files; a school officer
    # of the dossier's school for the rest.
    "preentry:own_file": Case("preentry_kind", own_current),
    "preentry:staff_dossier": Case("reference", staff_scope),
    "preentry:review": Case(
        "preentry_document",
        staff_scope,
        method="post",
        success=302,
        data={"diploma-verdict": "valid", "diploma-version": "1", "diploma-seen": "unchecked"},
    ),
    "preentry:staff_file": Case("preentry_document", staff_scope),
    "preentry:midisup": Case(
        "reference", staff_scope, method="post", success=302, data={"validated_on": "2021-02-01"}
    ),
    "preentry:midisup_evidence": Case("contract_validation", staff_scope),
    "preentry:export": Case("export_format", every_reader),
}

# The staff lists: each shows exactly the dossiers of its rows that the account reaches.
LISTS: dict[str, Callable[[World], list[Dossier]]] = {
    "payments:pending": lambda world: [
        p.dossier for p in Payment.objects.filter(state=Payment.State.DECLARED)
    ],
    "support:staff_list": lambda world: [d for d in world.dossiers if d.messages.exists()],
    # The campaign shown is school A's: its declared companies.
    "companies:staff_list": lambda world: [
        c.dossier
        for c in world.company_tokens.values()
        if c.dossier.campaign.code == REFERENCE_CAMPAIGN
    ],
}

# The admitted candidates of the campaign shown (school A's) on the pre-entry checklist.
LISTS["preentry:staff_list"] = lambda world: [
    place.dossier
    for place in ListPlace.objects.select_related("dossier__campaign")
    if place.dossier.campaign.code == REFERENCE_CAMPAIGN
]

# Parametrised URLs the walk cannot fill with an identifier of the world, and why.
NOT_FILLED: dict[str, str] = {
    "account_confirm_email": "allauth's own email key, checked by allauth (public)",
    "account_reset_password_from_key": "allauth's own reset key, checked by allauth (public)",
    "admin:app_list": "a regex of app labels, no object: walked by test_url_access.py",
    "admin:django.contrib.admin.sites.AdminSite.catch_all_view": "any path: no object",
    "admin:view_on_site": "a content type and a row: no model of the platform has a page",
}

ADMIN_OBJECT = re.compile(r"^admin/(\w+)/(\w+)/<(?:path:object_id|id)>/")


def admin_case(route: str) -> Case | None:
    if ADMIN_OBJECT.match(route) is None:
        return None
    # Within the admin, what a model allows (no deleting the audit trail) is the admin's
    # business: the walk checks the door, that everyone but an every-school admin is refused.
    return Case("admin_row", every_school_admin, success=None)


# --- The walk -------------------------------------------------------------------------------


def fill(route: str, target: Target) -> str:
    for value in (target.value, *target.rest):
        route = re.sub(r"<(?:\w+:)?\w+>", value, route, count=1)
    return "/" + route


def parametrised() -> list[tuple[str, str, Callable]]:
    return [p for p in PATTERNS if "<" in p[1] or "(?P" in p[1]]


def cases_of(world: World) -> list[tuple[str, str, Case, AccessRule, list[Target]]]:
    rows = []
    for name, route, callback in parametrised():
        rule = declared_access(name, callback)
        case = URLS.get(name) or admin_case(route)
        if case is None or rule is None:
            continue
        if case.kind == "admin_row":
            found = ADMIN_OBJECT.match(route)
            assert found is not None
            row = world.admin_rows.get(f"{found.group(1)}/{found.group(2)}")
            targets = [Target(row, ())] if row else []
        else:
            targets = KINDS[case.kind](world)
        rows.append((name, route, case, rule, targets))
    return rows


def admits(account: User | None, rule: AccessRule) -> bool:
    """The URL's rule lets the account in at all (its roles; a visitor is "anonymous")."""
    if account is None:
        return ANONYMOUS in rule.roles
    return bool(account.roles() & rule.roles)


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and "/login/" in response["Location"]


def call(client, method: str, path: str, data: dict):
    """One request whose writes (a decision, a message read) are rolled back: every request
    meets the same world."""
    with transaction.atomic():
        response = getattr(client, method)(path, data)
        if response.streaming and response.get("Content-Type", "").startswith("text/csv"):
            # An export is streamed: read while its queries still meet the world.
            response.walk_body = b"".join(response.streaming_content)
        transaction.set_rollback(True)
    # A served file is not read: close it (an HTML page keeps its content). Closing sends
    # request_finished, whose close_old_connections would drop the world's open transaction on
    # PostgreSQL: silenced as the test client itself does.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


def references_in(response, world: World) -> set[str]:
    if not response.get("Content-Type", "").startswith(("text/html", "text/csv")):
        return set()
    body = getattr(response, "walk_body", None)
    if body is None and response.streaming:
        return set()
    page = (response.content if body is None else body).decode()
    return {d.reference for d in world.dossiers if d.reference in page}


def reachable_references(account: User | None, rule: AccessRule, world: World) -> set[str]:
    """The dossiers a page of ``rule`` may name to this account."""
    if account is None:
        return set()
    if rule == CANDIDATE:
        return {d.reference for d in world.dossiers if d.candidate_id == account.pk}
    return {d.reference for d in world.dossiers if grants_cover(account, rule.roles, d)}


@pytest.mark.django_db
def test_every_parametrised_url_is_walked_with_real_identifiers(world):
    filled = {(name, route) for name, route, _case, _rule, targets in cases_of(world) if targets}
    not_filled = sorted(
        f"{name} ({route})"
        for name, route, _callback in parametrised()
        if (name, route) not in filled
    )

    assert not_filled == sorted(
        f"{name} ({route})" for name, route, _callback in parametrised() if name in NOT_FILLED
    ), "URLs without a real identifier: add their kind to URLS or KINDS, or say why in NOT_FILLED"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ACCOUNTS)
def test_every_object_answers_only_within_the_accounts_reach(who, world, client, settings):
    settings.CLOCK_AT = NOW.isoformat()
    settings.DEFAULT_CAMPAIGN = REFERENCE_CAMPAIGN
    account = world.accounts.get(who)
    if account is not None:
        account = User.objects.get(pk=account.pk)  # grants read afresh, as a request does
        client.force_login(account)
    leaks, misses, calls = [], [], 0
    for name, route, case, rule, targets in cases_of(world):
        let_in = admits(account, rule)
        # A rule that refuses the account refuses it before any lookup (require_access), and
        # test_url_access.py checks that for every role: one identifier shows it here.
        for target in targets if let_in else targets[:1]:
            path = fill(route, target)
            response = call(client, case.method, path, case.data)
            calls += 1
            assert response.status_code < 500, f"{path} answered {response.status_code}"
            inside = let_in and case.reaches(account, target, rule)
            if not inside and not refused(response):
                leaks.append(f"{case.method.upper()} {path} ({name}): {response.status_code}")
            elif inside and case.success is not None and response.status_code != case.success:
                misses.append(f"{case.method.upper()} {path} ({name}): {response.status_code}")
            elif response.status_code == 200:
                extra = references_in(response, world) - reachable_references(account, rule, world)
                if extra and case.kind != "referee_token":
                    leaks.append(f"{path} ({name}) shows {sorted(extra)}")

    assert leaks == [], f"{who} reached objects outside their reach"
    assert misses == [], f"{who} was refused objects within their reach"
    assert calls > 20


@pytest.mark.django_db
@pytest.mark.parametrize("who", ACCOUNTS)
def test_every_staff_list_shows_exactly_the_dossiers_within_reach(who, world, client, settings):
    settings.CLOCK_AT = NOW.isoformat()
    account = world.accounts.get(who)
    if account is not None:
        account = User.objects.get(pk=account.pk)
        client.force_login(account)
    for name, rows in LISTS.items():
        url = reverse(name)
        match_rule = declared_access(name, next(c for n, _r, c in PATTERNS if n == name))
        assert match_rule is not None
        response = call(client, "get", url, {})
        if not admits(account, match_rule):
            assert refused(response), f"{url} let {who} in: {response.status_code}"
            continue
        expected = {d.reference for d in rows(world) if grants_cover(account, match_rule.roles, d)}

        assert (response.status_code, references_in(response, world)) == (200, expected), name


@pytest.mark.django_db
def test_a_company_link_reaches_only_its_own_confirmation_form(world, client, settings):
    """Each company's link opens the form of its own declaration, naming its company and none
    other (R7.1, R9.2)."""
    settings.CLOCK_AT = NOW.isoformat()
    names = {company.name for company in world.company_tokens.values()}
    assert len(names) == 2
    for token, company in world.company_tokens.items():
        page = call(client, "get", f"/entreprise/{token}/", {}).content.decode()

        assert company.name in page
        assert not any(other in page for other in names - {company.name})
