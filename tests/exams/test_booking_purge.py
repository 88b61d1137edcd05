"""R9.3 for phase 2: purging a campaign removes its exams' personal data (bookings, slots,
accommodations and their proofs, grades, academic decisions) and keeps its exam days."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from admissions.campaigns.purge import purge_campaign
from admissions.exams.models import (
    AcademicDecision,
    Accommodation,
    Booking,
    ExamDay,
    ExamSlot,
    Grade,
)
from admissions.exams.services.booking import book_day
from tests.exams.booking_helpers import (
    BOOKING_OPEN,
    admissible,
    exam_day,
    people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_people(accounts_by_role, reference_campaign):
    return people(accounts_by_role, reference_campaign)


AFTER_RETENTION = datetime(2023, 1, 1, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_purge_removes_the_exams_personal_data(
    reference_campaign, exam_people, django_capture_on_commit_callbacks
):
    officer, jury = exam_people["officer"], exam_people["jury"]
    day = exam_day(reference_campaign, capacity=3)
    dossier = admissible(reference_campaign, "c@example.org", officer)
    booking = book_day(dossier=dossier, day_id=day.pk, by=dossier.candidate, now=BOOKING_OPEN)
    panel = day.panels.create(exam_code="interview", name="Jury 1")
    ExamSlot.objects.create(
        booking=booking,
        exam_code="interview",
        panel=panel,
        starts_at=BOOKING_OPEN,
        ends_at=BOOKING_OPEN.replace(hour=11),
    )
    accommodation = Accommodation.objects.create(
        dossier=dossier,
        needs="Tiers temps",
        proof=ContentFile(b"%PDF-1.4 proof", name="proof.pdf"),
        proof_name="proof.pdf",
        requested_at=BOOKING_OPEN,
    )
    proof = accommodation.proof.name
    Grade.objects.create(
        dossier=dossier,
        exam_code="interview",
        grade=Decimal("12"),
        graded_by=jury,
        graded_at=BOOKING_OPEN,
    )
    AcademicDecision.objects.create(
        dossier=dossier, outcome="admitted", rank=1, decided_by=officer, decided_at=BOOKING_OPEN
    )
    assert default_storage.exists(proof)

    with django_capture_on_commit_callbacks(execute=True):
        purge_campaign(
            campaign=reference_campaign,
            by=exam_people["admin"],
            now=AFTER_RETENTION,
            dry_run=False,
        )

    counts = [
        model.objects.count()
        for model in (Booking, ExamSlot, Accommodation, Grade, AcademicDecision)
    ]
    assert counts == [0, 0, 0, 0, 0]
    assert not default_storage.exists(proof)
    kept = ExamDay.objects.get(pk=day.pk)
    assert (kept.capacity, kept.booked) == (3, 0)
