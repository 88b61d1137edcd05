"""R6.1 under concurrency: many candidates choose the same day's last seats at once, each in its
own thread and database connection. Never more bookings than seats; every loser is told the
day is full, never a database error."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from admissions.dossiers.models import Dossier
from admissions.exams.models import Booking, ExamDay
from admissions.exams.services.booking import FULL, ExamError, book_day
from tests.exams.booking_helpers import (
    BOOKING_OPEN,
    admissible,
    exam_day,
    people,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exam_people(accounts_by_role, reference_campaign):
    return people(accounts_by_role, reference_campaign)


CHOOSERS = 12
SEATS = 3


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises writers itself")


def race(day: ExamDay, dossiers: list[Dossier]) -> tuple[dict[int, list[str]], list[Exception]]:
    start = threading.Barrier(len(dossiers))
    outcomes: dict[int, list[str]] = {dossier.pk: [] for dossier in dossiers}
    errors: list[Exception] = []

    def choose(dossier: Dossier, twice: bool) -> None:
        try:
            start.wait()
            for _attempt in range(2 if twice else 1):  # a double click
                try:
                    book_day(
                        dossier=Dossier.objects.get(pk=dossier.pk),
                        day_id=day.pk,
                        by=dossier.candidate,
                        now=BOOKING_OPEN,
                    )
                    outcomes[dossier.pk].append("booked")
                except ExamError as error:
                    outcomes[dossier.pk].append(error.outcome)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=choose, args=(dossier, index % 3 == 0))
        for index, dossier in enumerate(dossiers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


def test_the_last_seats_go_to_exactly_as_many_choosers(reference_campaign, exam_people):
    day = exam_day(reference_campaign, capacity=SEATS)
    dossiers = [
        admissible(reference_campaign, f"racer{n}@example.org", exam_people["officer"])
        for n in range(CHOOSERS)
    ]

    outcomes, errors = race(day, dossiers)

    assert errors == []
    day.refresh_from_db()
    assert Booking.objects.filter(day=day).count() == SEATS == day.booked
    winners = set(Booking.objects.values_list("dossier_id", flat=True))
    assert {pk for pk, seen in outcomes.items() if seen[0] == "booked"} == winners
    # Every chooser without a seat was told the day is full, each time they clicked; a
    # winner's second click is told "already booked".
    assert all(set(seen) == {FULL} for pk, seen in outcomes.items() if pk not in winners)
    assert all(
        seen[1:] in ([], ["already_booked"]) for pk, seen in outcomes.items() if pk in winners
    )
