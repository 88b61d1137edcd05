"""Issue 12, phase 2 in a real browser: a jury member grades (keyboard, "12,5"), the examiner
marks an absence, the school's officer records the academic list, the clock moves to its
publication instant and the candidates read their outcome. axe-core on each page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from admissions.exams.models import AcademicDecision, Grade
from tests.browser.axe import serious_violations
from tests.browser.test_pages_accessibility import log_in
from tests.exams.grading_world import ACADEMIC_AT, GRADING_AT, JUST_BEFORE, build_phase_two

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"exams-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def grade_with_keyboard(page, live_server, slot_id: int, text: str) -> None:
    page.goto(live_server.url + f"/gestion/jury/notes/creneau/{slot_id}/")
    page.locator("#id_grade").focus()
    page.keyboard.type(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la note").press("Enter")


def test_jury_grades_committee_records_and_publishes_candidate_reads(
    page, live_server, reference_campaign, settings, mailoutbox, tmp_path
):
    settings.CLOCK_AT = GRADING_AT.isoformat()
    world = build_phase_two(reference_campaign)
    first, second, third = world.dossiers
    page.set_viewport_size({"width": 1280, "height": 900})

    # The jury member: their day, then each candidate's grade form.
    log_in(page, live_server, world.members["jury"])
    page.goto(live_server.url + "/gestion/jury/notes/")
    check(page, tmp_path, "jury-days")
    with page.expect_navigation():
        page.locator("#jury-days a").first.click()
    rows = page.locator("#grading-day tbody tr").all_inner_texts()
    assert [second.reference in rows[0], first.reference in rows[1], len(rows)] == [True, True, 2]
    check(page, tmp_path, "jury-day")
    grade_with_keyboard(page, live_server, world.slots[(first.reference, "interview")].pk, "21")
    assert "La note (21) ne peut pas dépasser 20." in page.locator("#error-summary").inner_text()
    page.locator("#dossier-summary summary").click()
    check(page, tmp_path, "grade-form-error")
    page.locator("#id_grade").fill("")
    page.locator("#id_grade").type("12,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la note").click()
    assert (
        "La note de Camille Nom0 est enregistrée."
        in page.locator(".fr-alert--success").inner_text()
    )
    grade_with_keyboard(page, live_server, world.slots[(second.reference, "interview")].pk, "14")
    assert {str(g.grade) for g in Grade.objects.all()} == {"12.50", "14.00"}

    # The English examiner: notes on the three phases, an absence.
    page.context.clear_cookies()
    log_in(page, live_server, world.members["examiner"])
    page.goto(
        live_server.url
        + f"/gestion/jury/notes/creneau/{world.slots[(first.reference, 'english')].pk}/"
    )
    page.locator("#id_grade").fill("15")
    page.locator("#id_phase_0").fill("Présentation claire.")
    check(page, tmp_path, "english-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la note").click()
    for reference, value in ((second.reference, "11"), (third.reference, None)):
        page.goto(
            live_server.url
            + f"/gestion/jury/notes/creneau/{world.slots[(reference, 'english')].pk}/"
        )
        if value is None:
            page.locator("label[for=id_absent]").click()
        else:
            page.locator("#id_grade").fill(value)
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer la note").click()
    # The other jury grades its candidate.
    page.context.clear_cookies()
    log_in(page, live_server, world.members["other"])
    grade_with_keyboard(page, live_server, world.slots[(third.reference, "interview")].pk, "9")

    # The school's officer: the ranking, the eliminated apart, the list by a cut-off rank.
    page.context.clear_cookies()
    log_in(page, live_server, world.officer)
    page.goto(live_server.url + "/gestion/epreuves/liste-academique/")
    assert third.reference in page.locator("#academic-eliminated").inner_text()
    check(page, tmp_path, "academic-list")
    page.locator("label[for=id_mode_0]").click()
    page.get_by_label("Rang limite (inclus)").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la liste des admis académiques").click()
    assert {d.dossier_id: d.outcome for d in AcademicDecision.objects.all()} == {
        first.pk: "admitted",  # (15 + 12.5 + 15) / 3 = 14.167
        second.pk: "below_list",  # (15 + 14 + 11) / 3 = 13.333
        third.pk: "eliminated",
    }
    check(page, tmp_path, "academic-list-recorded")

    # A microsecond before the instant: nothing for the candidate; at it, the emails go.
    settings.CLOCK_AT = JUST_BEFORE.isoformat()
    call_command("publish_results", stdout=StringIO())
    academic = [m for m in mailoutbox if "admission académique" in m.subject]
    assert academic == []  # the admissibility results went out, not the academic ones
    page.context.clear_cookies()
    log_in(page, live_server, first.candidate)
    page.goto(live_server.url + "/dossier/")
    assert page.locator("#academic-result").count() == 0
    settings.CLOCK_AT = ACADEMIC_AT.isoformat()
    call_command("publish_results", stdout=StringIO())
    assert len([m for m in mailoutbox if "admission académique" in m.subject]) == 3
    page.goto(live_server.url + "/dossier/")
    assert "Vous êtes admis(e) académique." in page.locator("#academic-result").inner_text()
    check(page, tmp_path, "candidate-admitted")
    page.context.clear_cookies()
    log_in(page, live_server, third.candidate)
    page.goto(live_server.url + "/dossier/")
    assert (
        "Absence à l'épreuve « Épreuve d'anglais » : éliminatoire."
        in page.locator("#academic-result").inner_text()
    )
    check(page, tmp_path, "candidate-eliminated")
    print("screenshots:", tmp_path)


def test_book_timetable_grade_record_publish_read(
    page, live_server, reference_campaign, accounts_by_role, settings, mailoutbox, tmp_path
):
    """The whole of phase 2 through the pages: a candidate books a day, the school's officer
    builds its timetable, the jury member and the examiner grade, the officer records the list,
    the clock moves to the publication instant and the candidate reads the result."""
    from datetime import datetime
    from decimal import Decimal

    from admissions.committee.models import CommitteeScore
    from admissions.exams.models import Booking, ExamPanel, ExamSlot
    from tests.exams.booking_helpers import BOOKING_OPEN, admissible, exam_day, people

    settings.CLOCK_AT = BOOKING_OPEN.isoformat()
    staff = people(accounts_by_role, reference_campaign)
    examiner = accounts_by_role["jury_member"]  # a jury member of the school: the examiner
    day = exam_day(reference_campaign, capacity=3)
    ExamPanel.objects.create(day=day, exam_code="interview", name="Jury 1").members.add(
        staff["jury"]
    )
    ExamPanel.objects.create(day=day, exam_code="english", name="Examinateur A").members.add(
        examiner
    )
    dossier = admissible(reference_campaign, "camille@example.org", staff["officer"])
    CommitteeScore.objects.create(
        dossier=dossier, member=staff["central"], score=Decimal(15), recorded_at=BOOKING_OPEN
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    # The candidate chooses the day.
    log_in(page, live_server, dossier.candidate)
    page.goto(live_server.url + "/dossier/epreuves/")
    page.locator(f"#day-{day.pk}").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer").click()
    with page.expect_navigation():
        page.locator("#confirm-booking").click()
    assert Booking.objects.get().day_id == day.pk
    check(page, tmp_path, "chain-booked")

    # The school's officer builds the day's timetable.
    settings.CLOCK_AT = datetime.fromisoformat("2021-03-29T12:00:00+02:00").isoformat()
    page.context.clear_cookies()
    log_in(page, live_server, staff["officer"])
    page.goto(live_server.url + f"/gestion/epreuves/emplois-du-temps/{day.pk}/")
    with page.expect_navigation():
        page.locator("#build-timetable").click()
    assert ExamSlot.objects.count() == 2
    check(page, tmp_path, "chain-timetable")

    # The jury member and the examiner grade from their day's list.
    settings.CLOCK_AT = GRADING_AT.replace(day=30, month=3).isoformat()
    for member, value in ((staff["jury"], "13,5"), (examiner, "16")):
        page.context.clear_cookies()
        log_in(page, live_server, member)
        page.goto(live_server.url + f"/gestion/jury/notes/{day.date.isoformat()}/")
        check(page, tmp_path, f"chain-day-{value}")
        with page.expect_navigation():
            page.locator("#grading-day tbody a").first.click()
        page.locator("#id_grade").fill(value)
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer la note").click()
    assert sorted(str(g.grade) for g in Grade.objects.all()) == ["13.50", "16.00"]

    # The officer records the list, then the clock moves to the instant.
    page.context.clear_cookies()
    log_in(page, live_server, staff["officer"])
    page.goto(live_server.url + "/gestion/epreuves/liste-academique/")
    page.get_by_label("Rang limite (inclus)").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la liste des admis académiques").click()
    assert AcademicDecision.objects.get().outcome == "admitted"
    check(page, tmp_path, "chain-list")
    settings.CLOCK_AT = ACADEMIC_AT.isoformat()
    call_command("publish_results", stdout=StringIO())
    page.context.clear_cookies()
    log_in(page, live_server, dossier.candidate)
    page.goto(live_server.url + "/dossier/")
    assert "Vous êtes admis(e) académique." in page.locator("#academic-result").inner_text()
    check(page, tmp_path, "chain-candidate")
    assert [m.subject for m in mailoutbox if m.to == [dossier.candidate.email]][-1] == (
        f"Résultat d'admission académique — dossier {dossier.reference} : vous êtes admis(e)"
    )
