"""R6.1 and R10.4 in a real browser: a candidate chooses and confirms an exam day with the
keyboard; the school's officer reads the days, a day, the bookings and the accommodations.
Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date

import pytest

from admissions.exams.models import Accommodation, Booking
from tests.browser.axe import serious_violations
from tests.browser.session import log_in
from tests.exams.booking_helpers import BOOKING_OPEN, admissible, exam_day, people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"exam-booking-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_a_candidate_books_and_the_officer_reads_the_pages(
    page, live_server, reference_campaign, accounts_by_role, settings, tmp_path
):
    settings.CLOCK_AT = BOOKING_OPEN.isoformat()
    staff = people(accounts_by_role, reference_campaign)
    day = exam_day(reference_campaign, capacity=3)
    exam_day(reference_campaign, day=date(2021, 3, 31), capacity=3)
    dossier = admissible(reference_campaign, "camille@example.org", staff["officer"])
    Accommodation.objects.create(dossier=dossier, needs="Tiers temps", requested_at=BOOKING_OPEN)
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, live_server, dossier.candidate, "fr")
    page.goto(live_server.url + "/dossier/epreuves/")
    check(page, tmp_path, "choose")
    page.locator(f"#day-{day.pk}").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Continuer").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, tmp_path, "confirm")
    page.locator("#confirm-booking").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Booking.objects.get().day_id == day.pk
    check(page, tmp_path, "booked")
    page.goto(live_server.url + "/dossier/epreuves/amenagements/")
    check(page, tmp_path, "accommodation-candidate")

    page.context.clear_cookies()
    log_in(page, live_server, staff["officer"], "fr")
    for name, path in (
        ("days", "/gestion/epreuves/journees/"),
        ("day", f"/gestion/epreuves/journees/{day.pk}/"),
        ("day-new", "/gestion/epreuves/journees/nouvelle"),
        ("panel-new", f"/gestion/epreuves/journees/{day.pk}/jurys/nouveau"),
        ("bookings", "/gestion/epreuves/inscriptions/"),
        ("move", f"/gestion/epreuves/inscriptions/{dossier.reference}/deplacer"),
        ("accommodations", "/gestion/epreuves/amenagements/"),
        ("accommodation", f"/gestion/epreuves/amenagements/{dossier.reference}/"),
    ):
        page.goto(live_server.url + path)
        check(page, tmp_path, name)
