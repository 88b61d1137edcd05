"""seed_demo builds phase 2's booking side: exam days with panels, admissible candidates with
and without a booking, accommodations pending, approved and refused (exams/booking)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_exam_days_bookings_and_accommodations(reference_campaign, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("seed_demo", stdout=StringIO())

    days = list(ExamDay.objects.order_by("date"))
    assert [(str(d.date), d.capacity, d.booked) for d in days] == [
        ("2021-03-30", 2, 2),
        ("2021-03-31", 20, 0),
        # The four graded candidates (exams grading's demo) and the company phase's twelve.
        ("2021-04-01", 20, 16),
        # The timetable's demo day books the admissible left, not admissible@ (it chooses).
        ("2021-04-09", 10, 4),
    ]
    # Six panels of the booking demo, and "Jury démo 2" of the timetable's demo day.
    assert ExamPanel.objects.filter(members__email="jury2@demo.example").distinct().count() == 7
    assert set(Booking.objects.values_list("dossier__candidate__email", flat=True)) >= {
        "booked@demo.example",
        "accommodation-approved@demo.example",
    }
    states = dict(Accommodation.objects.values_list("dossier__candidate__email", "state"))
    assert states == {
        "accommodation@demo.example": "pending",
        "accommodation-approved@demo.example": "approved",
        "accommodation-refused@demo.example": "refused",
        "convoque-amenagement@demo.example": "approved",  # the timetable's demo day
    }
    counts = (ExamDay.objects.count(), Booking.objects.count())

    call_command("seed_demo", stdout=StringIO())  # idempotent

    assert (ExamDay.objects.count(), Booking.objects.count()) == counts
