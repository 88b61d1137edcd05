"""R6.2 in a real browser: the school's officer builds a day's timetable and moves a slot with
the keyboard, a jury member reads their list, the candidate their convocation. Each page is
screenshot and checked with axe-core."""

from __future__ import annotations

import pytest

from admissions.exams.models import ExamSlot
from tests.browser.axe import serious_violations
from tests.browser.session import log_in
from tests.exams.timetable_world import NOW, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"timetable-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_the_officer_builds_adjusts_and_convokes_the_jury_and_candidate_read_it(
    page, live_server, reference_campaign, settings, tmp_path
):
    settings.CLOCK_AT = NOW.isoformat()
    world = make_world(reference_campaign, candidates=3)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, world.officer, "fr")
    page.goto(live_server.url + "/gestion/epreuves/emplois-du-temps/")
    check(page, tmp_path, "days")
    page.goto(live_server.url + f"/gestion/epreuves/emplois-du-temps/{world.day.pk}/")
    page.locator("#build-timetable").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert (
        "Emploi du temps établi : 3 candidats placés"
        in page.locator(".fr-alert--success").inner_text()
    )
    check(page, tmp_path, "built")
    slot = (
        ExamSlot.objects.filter(booking__day=world.day, panel__name="Jury 1")
        .order_by("starts_at")
        .last()
    )
    time_input = page.locator(f"#id_slot{slot.pk}-starts_at")
    time_input.fill("16:00")
    page.locator(f"#slot-{slot.pk} button").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.screenshot(path=str(tmp_path / "timetable-moved.png"), full_page=True)
    assert page.locator(".fr-alert--success").inner_text() == "Le créneau est déplacé."
    page.locator("#send-convocations").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, tmp_path, "convoked")

    log_in(page, live_server, world.jury1, "en")
    page.goto(live_server.url + f"/gestion/jury/{world.day.pk}/")
    assert page.locator("h1").inner_text().startswith("My candidates on")
    check(page, tmp_path, "jury")

    log_in(page, live_server, world.dossiers[0].candidate, "fr")
    page.goto(live_server.url + "/dossier/epreuves/convocation/")
    assert page.locator("h1").inner_text() == "Ma convocation aux épreuves"
    check(page, tmp_path, "candidate")
