"""seed_demo: one account per staff role and candidates in every state known so far (issue 3, §4)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command

from admissions.accounts.models import Role, RoleGrant, User
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.companies.demo import COMPANY_PHASE_ACCOUNTS
from admissions.companies.models import Exclusion, HostCompany, ListPlace
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.exams.models import AcademicDecision, Grade
from admissions.payments.models import Payment
from tests.conftest import demo_seeded_once

# One demo per module (seed_demo takes seconds): its tests run on one xdist worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """seed_demo run once for the module; what it printed."""
    with demo_seeded_once(django_db_blocker) as printed:
        yield printed


def test_seed_demo_creates_every_staff_role_and_every_dossier_state(seeded, reference_campaign):
    printed = seeded

    assert {grant.role for grant in RoleGrant.objects.all()} == set(Role) - {Role.CANDIDATE}
    states = {d.candidate.email: d.state for d in Dossier.objects.select_related("candidate")}
    documents = {
        (d.dossier.candidate.email, d.code): d
        for d in Document.objects.select_related("dossier__candidate")
    }
    # A refused CV awaiting its replacement, and a refused photo replaced, to check again.
    cv = documents["replacement@demo.example", "cv"]
    assert (cv.review, cv.refusal_reason_code, cv.replacement_requested) == (
        "refused",
        "illisible",
        True,
    )
    photo = documents["replacement-sent@demo.example", "photo"]
    assert (photo.review, photo.original_name) == ("unchecked", "photo-nette.jpg")
    proof = documents["scholarship-refused@demo.example", "scholarship_proof"]
    assert (proof.review, proof.refusal_reason_code) == ("refused", "bourse-annee")
    assert states["submitted@demo.example"] == Dossier.State.SUBMITTED
    assert states["paid@demo.example"] == Dossier.State.SUBMITTED
    assert states["ready@demo.example"] == Dossier.State.DRAFT
    assert (
        Payment.objects.get(dossier__candidate__email="paid@demo.example").state
        == Payment.State.CONFIRMED
    )
    decisions = {
        d.dossier.candidate.email: d.admissible
        for d in AdmissibilityDecision.objects.select_related("dossier__candidate")
    }
    assert decisions == {
        "admissible@demo.example": True,
        "not-admissible@demo.example": False,
        "graded@demo.example": True,
        "below-list@demo.example": True,
        "eliminated@demo.example": True,
        "absent@demo.example": True,
        # Phase 2's admissible candidates (exams/booking).
        "booked@demo.example": True,
        "accommodation@demo.example": True,
        "accommodation-approved@demo.example": True,
        "accommodation-refused@demo.example": True,
        "convoque@demo.example": True,
        "convoque-amenagement@demo.example": True,
        # The company phase's candidates (companies/demo.py), all on the academic list.
        **{email: True for _key, email, _state in COMPANY_PHASE_ACCOUNTS},
    }
    academic = {
        d.dossier.candidate.email: d.outcome
        for d in AcademicDecision.objects.select_related("dossier__candidate")
    }
    graded = ("graded", "below-list", "eliminated", "absent")
    assert {k: v for k, v in academic.items() if k.split("@")[0] in graded} == {
        "graded@demo.example": "admitted",
        "below-list@demo.example": "below_list",
        "eliminated@demo.example": "eliminated",
        "absent@demo.example": "eliminated",
    }
    company_phase = {email for _key, email, _state in COMPANY_PHASE_ACCOUNTS}
    assert {academic[email] for email in company_phase} == {"admitted"}
    # The other booked candidates get middle grades, below the list.
    assert {
        v
        for k, v in academic.items()
        if k.split("@")[0] not in graded and k not in company_phase and not k.startswith("entree-")
    } <= {"below_list"}
    assert Grade.objects.filter(absent=True).count() == 1
    scores = CommitteeScore.objects.filter(dossier__candidate__email="forwarded@demo.example")
    assert list(scores.values_list("member__email", flat=True)) == ["committee@demo.example"]
    assert "/recommandation/" in printed
    assert "password for all: demo-admissions-2021" in printed
    # How to log in as each role: one printed line names the account of each staff role.
    lines = printed.splitlines()
    for role in set(Role) - {Role.CANDIDATE}:
        assert any(line.strip().endswith(str(role.label)) for line in lines), role
    assert "/accounts/login/" in printed


def test_seed_demo_twice_changes_nothing(seeded, reference_campaign):
    counts = stored_state()

    seed()

    assert stored_state() == counts


def stored_state() -> tuple:
    from admissions.audit.models import AuditEntry
    from admissions.documents.models import Document

    return (
        User.objects.count(),
        AuditEntry.objects.count(),
        sorted(Dossier.objects.values_list("candidate__email", "state")),
        sorted(Payment.objects.values_list("dossier__candidate__email", "state")),
        sorted(Document.objects.values_list("dossier__candidate__email", "code", "review")),
        sorted(CommitteeScore.objects.values_list("dossier__candidate__email", "score")),
        sorted(
            AdmissibilityDecision.objects.values_list("dossier__candidate__email", "admissible")
        ),
        sorted(HostCompany.objects.values_list("dossier__candidate__email", "state")),
        sorted(ListPlace.objects.values_list("dossier__candidate__email", "standing", "rank")),
        sorted(Exclusion.objects.values_list("dossier__candidate__email", "kind")),
    )


def test_the_ready_dossier_can_be_submitted_by_its_candidate(seeded, reference_campaign):
    from datetime import datetime

    from admissions.dossiers.services import submit_dossier

    dossier = Dossier.objects.get(candidate__email="ready@demo.example")

    submit_dossier(
        dossier=dossier,
        by=dossier.candidate,
        now=datetime.fromisoformat("2021-03-01T10:00:00+01:00"),
    )

    assert Dossier.objects.get(pk=dossier.pk).state == Dossier.State.SUBMITTED


def dossier_of(email: str) -> Dossier:
    return Dossier.objects.get(candidate__email=email)


def test_seed_demo_holds_every_state_a_candidate_can_reach(seeded, reference_campaign):
    """Issue 8: scholarship proofs in each review state, foreign diploma, several options,
    formation continue, pending transcript, replacement asked, payment not received."""
    from admissions.dossiers.selectors import fee_breakdown, scholarship_proof_status
    from admissions.rules.fees import ProofStatus

    printed = seeded
    params = reference_campaign.params()

    proofs = {
        email: scholarship_proof_status(dossier_of(email))
        for email in (
            "scholarship@demo.example",
            "scholarship-accepted@demo.example",
            "scholarship-refused@demo.example",
        )
    }
    assert proofs == {
        "scholarship@demo.example": ProofStatus.PENDING,
        "scholarship-accepted@demo.example": ProofStatus.ACCEPTED,
        "scholarship-refused@demo.example": ProofStatus.REJECTED,
    }
    foreign = dossier_of("foreign@demo.example")
    assert (foreign.nationality, list(foreign.diplomas.values_list("type", flat=True))) == (
        "MA",
        ["FOREIGN"],
    )
    assert {"visa", "foreign_programme"} <= set(foreign.documents.values_list("code", flat=True))
    options = dossier_of("options@demo.example")
    breakdown = fee_breakdown(options, params)
    assert (options.choices.count(), breakdown and breakdown.total) == (3, 121)
    continuing = dossier_of("continuing@demo.example")
    assert (
        continuing.status_sought,
        continuing.technician_experience_years,
        continuing.employer_agreement,
    ) == ("formation_continue", 4, True)
    later = dossier_of("transcript-later@demo.example")
    assert (later.state, list(later.pending_documents.values_list("code", flat=True))) == (
        Dossier.State.SUBMITTED,
        ["transcripts_current_year"],
    )
    replacement = dossier_of("replacement@demo.example")
    assert (
        replacement.state,
        list(
            replacement.documents.filter(replacement_requested=True).values_list("code", flat=True)
        ),
    ) == (Dossier.State.SUBMITTED, ["cv"])
    refused = dossier_of("payment-refused@demo.example")
    assert (refused.state, list(refused.payments.values_list("state", flat=True))) == (
        Dossier.State.SUBMITTED,
        [Payment.State.REJECTED],
    )
    checks = {
        email: (
            dossier_of(email).central_check.verdict,
            dossier_of(email).central_check.reason,
            sorted(set(dossier_of(email).documents.values_list("review", flat=True))),
        )
        for email in ("recevable@demo.example", "check-refused@demo.example")
    }
    assert checks == {
        "recevable@demo.example": ("recevable", "", ["valid"]),
        "check-refused@demo.example": (
            "refused",
            "Le parcours déclaré ne correspond pas aux relevés de notes fournis.",
            ["valid"],
        ),
    }
    assert list(replacement.fix_notices.values_list("items", flat=True)) == [
        [
            {
                "code": "cv",
                "label": "Curriculum vitae",
                "reason_code": "illisible",
                "reason": "Le document est illisible ou incomplet (toutes les pages, recto et "
                "verso).",
                "replace_until": "2021-03-15T08:00:00+00:00",
            }
        ]
    ]
    for email in (
        "scholarship@demo.example",
        "foreign@demo.example",
        "options@demo.example",
        "continuing@demo.example",
        "transcript-later@demo.example",
        "replacement@demo.example",
        "replacement-sent@demo.example",
        "payment-refused@demo.example",
        "recevable@demo.example",
        "check-refused@demo.example",
    ):
        assert f"  {email}  " in printed


def test_every_demo_account_is_in_the_readme_table(reference_campaign):
    from pathlib import Path

    from admissions.core.management.commands.seed_demo import (
        CANDIDATE_ACCOUNTS,
        STAFF_ACCOUNT_STATES,
        STAFF_ACCOUNTS,
    )

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    emails = (
        [row[0] for row in STAFF_ACCOUNTS]
        + [row[0] for row in STAFF_ACCOUNT_STATES]
        + [row[1] for row in CANDIDATE_ACCOUNTS]
    )

    assert [email for email in emails if f"| `{email}` |" not in readme] == []


def test_seed_demo_leaves_emails_in_every_state_of_the_outbox(seeded, reference_campaign):
    from admissions.notifications.models import OutboundEmail

    # Seeded inside the module's transaction: the queued emails are not delivered.

    rows = {
        (email.recipient, email.state, email.attempts > 0)
        for email in OutboundEmail.objects.filter(kind=OutboundEmail.Kind.RECEIPT)
    }
    assert ("paid@demo.example", OutboundEmail.State.SENT, True) in rows
    assert ("payment-refused@demo.example", OutboundEmail.State.FAILED, True) in rows
    assert ("replacement@demo.example", OutboundEmail.State.QUEUED, True) in rows  # retrying
    assert ("submitted@demo.example", OutboundEmail.State.QUEUED, False) in rows
    failed = OutboundEmail.objects.get(state=OutboundEmail.State.FAILED)
    assert failed.last_error.startswith("SMTPRecipientsRefused: {'payment-refused@demo.example'")
    assert User.objects.get(email="foreign@demo.example").language == "en"


def test_seed_demo_holds_the_staff_account_states_of_issue_11(seeded, reference_campaign):

    invited = User.objects.get(email="invited@demo.example")
    school_admin = User.objects.get(email="school-admin@demo.example")
    assert invited.has_usable_password() is False
    assert User.objects.get(email="former@demo.example").is_active is False
    assert school_admin.is_superuser is False
    assert list(school_admin.role_grants.values_list("role", "school_id")) == [
        (Role.PLATFORM_ADMIN, reference_campaign.school_id)
    ]


def test_seed_demo_builds_an_exam_day_with_its_timetable_and_convocations(
    seeded, reference_campaign
):
    from admissions.exams.models import ExamDay, ExamSlot
    from admissions.notifications.models import OutboundEmail

    seed()  # idempotent: the second run

    day = ExamDay.objects.get(panels__name="Jury démo 1")
    assert day.timetable_built_at is not None
    booked = {
        "convoque@demo.example",
        "convoque-amenagement@demo.example",
        # Admissible without a day in the booking demo: the demo day books them too.
        "accommodation@demo.example",
        "accommodation-refused@demo.example",
    }
    slots = ExamSlot.objects.filter(booking__day=day).select_related("booking__dossier__candidate")
    assert {s.booking.dossier.candidate.email for s in slots} == booked
    assert slots.count() == 2 * len(booked)
    convocations = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CONVOCATION)
    assert set(convocations.values_list("recipient", flat=True)) == booked
    # admissible@ chooses its own day once the results are out (README's 25 March row).
    assert not ExamSlot.objects.filter(
        booking__dossier__candidate__email="admissible@demo.example"
    ).exists()
    jury = User.objects.get(email="jury@demo.example")
    assert day.panels.filter(members=jury).exists()


def test_a_second_seed_books_no_candidate_staff_decided_during_the_demo(reference_campaign):
    """`make demo` again (a later DEMO_CLOCK_AT, README): the demo's data stay, so a dossier the
    walk's officer declared admissible must not be booked on the demo day behind the
    candidate's back (they choose their day themselves)."""
    from datetime import datetime

    from admissions.committee.services import decide_admissibility
    from admissions.exams.models import Booking

    seed()
    forwarded = Dossier.objects.get(candidate__email="forwarded@demo.example")
    decide_admissibility(
        dossier=forwarded,
        by=User.objects.get(email="admissions@demo.example"),
        admissible=True,
        comment="",
        now=datetime.fromisoformat("2021-03-01T10:30:00+01:00"),
    )

    seed()

    assert not Booking.objects.filter(dossier=forwarded).exists()
