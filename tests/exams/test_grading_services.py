"""Grades (R6.3), the academic list (R6.4) and its publication: the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from admissions.audit.models import AuditEntry
from admissions.exams.models import AcademicDecision, Grade
from admissions.exams.selectors.grading import campaign_ranking
from admissions.exams.services.grading import (
    GradingError,
    publish_academic_results,
    record_academic_list,
    record_grade,
)
from admissions.notifications.models import OutboundEmail
from tests.exams.grading_world import ACADEMIC_AT, GRADING_AT, JUST_BEFORE, build_phase_two

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_campaign):
    return build_phase_two(reference_campaign)


def grade(world, index, exam, value, *, absent=False, by=None, now=GRADING_AT):
    slot = world.slots[(world.dossiers[index].reference, exam)]
    member = by or slot.panel.members.get()
    return record_grade(
        slot=slot,
        by=member,
        grade=None if value is None else Decimal(value),
        absent=absent,
        now=now,
    )


def grade_all(world):
    grade(world, 0, "interview", "16")
    grade(world, 0, "english", "14")
    grade(world, 1, "interview", "12.5")
    grade(world, 1, "english", "11")
    grade(world, 2, "interview", "3.5")  # eliminating
    grade(world, 2, "english", None, absent=True)


def test_a_member_grades_and_a_regrade_keeps_the_old_value_in_the_audit(world):
    grade(world, 0, "interview", "12")
    grade(world, 0, "interview", "13.5")

    row = Grade.objects.get(dossier=world.dossiers[0], exam_code="interview")
    assert (row.grade, row.absent, row.graded_by) == (Decimal("13.5"), False, world.members["jury"])
    entries = AuditEntry.objects.for_object(world.dossiers[0]).filter(
        action__startswith="exams.grade"
    )
    assert [
        (e.action, e.data["grade"], (e.data.get("before") or {}).get("grade"))
        for e in entries.order_by("pk")
    ] == [
        ("exams.grade.recorded", "12", None),
        ("exams.grade.updated", "13.5", "12.00"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("21", "ne peut pas dépasser 20"),
        ("-1", "ne peut pas être négative"),
        ("12.3", "doit être un multiple de 0,5 (par exemple 12 / 12,5)"),
        (None, "Saisissez une note, ou cochez « absent »."),
    ],
)
def test_bad_grades_are_refused_with_a_clear_message_and_nothing_saved(world, value, message):
    with pytest.raises(GradingError) as raised:
        grade(world, 0, "interview", value)
    assert message in raised.value.message
    assert not Grade.objects.exists()


def test_a_member_of_another_panel_cannot_grade(world):
    with pytest.raises(GradingError):
        grade(world, 0, "interview", "12", by=world.members["other"])
    with pytest.raises(GradingError):
        grade(world, 0, "interview", "12", by=world.members["examiner"])
    assert not Grade.objects.exists()


def test_english_phase_notes_are_kept(world):
    slot = world.slots[(world.dossiers[0].reference, "english")]
    record_grade(
        slot=slot,
        by=world.members["examiner"],
        grade=Decimal("15"),
        absent=False,
        phase_notes=["Fluide", "", "Bon dialogue"],
        now=GRADING_AT,
    )
    assert Grade.objects.get(exam_code="english").phase_notes == ["Fluide", "", "Bon dialogue"]


def test_ranking_weighs_dossier_and_grades_and_puts_the_eliminated_apart(world):
    grade_all(world)
    ranking = campaign_ranking(world.campaign).ranking
    refs = [d.reference for d in world.dossiers]
    # Dossier score: mean of 14 and 16 = 15 / 20.
    assert [(r.candidate, r.score) for r in ranking.ranked] == [
        (refs[0], Decimal("15.000")),
        (refs[1], Decimal("12.833")),
    ]
    assert [(e.candidate, [r.code for r in e.reasons]) for e in ranking.eliminated] == [
        (refs[2], ["exam.eliminating_grade", "exam.absent"])
    ]


def test_the_list_is_refused_while_grades_are_incomplete(world):
    grade(world, 0, "interview", "16")
    with pytest.raises(GradingError) as raised:
        record_academic_list(campaign=world.campaign, by=world.officer, cutoff=1, now=GRADING_AT)
    assert "Notes incomplètes" in raised.value.message
    assert not AcademicDecision.objects.exists()


def test_the_list_is_recorded_again_until_publication_then_final(world):
    grade_all(world)
    refs = [d.reference for d in world.dossiers]
    record_academic_list(campaign=world.campaign, by=world.officer, cutoff=2, now=GRADING_AT)
    record_academic_list(
        campaign=world.campaign, by=world.officer, chosen={refs[0]}, now=JUST_BEFORE
    )
    assert {d.dossier.reference: (d.outcome, d.rank) for d in AcademicDecision.objects.all()} == {
        refs[0]: ("admitted", 1),
        refs[1]: ("below_list", 2),
        refs[2]: ("eliminated", None),
    }
    with pytest.raises(GradingError) as raised:
        record_academic_list(campaign=world.campaign, by=world.officer, cutoff=2, now=ACADEMIC_AT)
    assert "publiée" in raised.value.message
    with pytest.raises(GradingError):
        grade(world, 1, "interview", "15", now=ACADEMIC_AT)  # the grades are final too
    assert AcademicDecision.objects.get(dossier=world.dossiers[1]).outcome == "below_list"


def test_only_the_schools_officer_records_the_list(world, accounts_by_role):
    grade_all(world)
    for who in (world.members["jury"], accounts_by_role["committee_member"]):
        with pytest.raises(GradingError):
            record_academic_list(campaign=world.campaign, by=who, cutoff=2, now=GRADING_AT)


def test_publication_waits_for_the_instant_then_emails_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    grade_all(world)
    record_academic_list(campaign=world.campaign, by=world.officer, cutoff=1, now=GRADING_AT)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_academic_results(now=JUST_BEFORE) == 0
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_academic_results(now=ACADEMIC_AT) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_academic_results(now=ACADEMIC_AT) == 0
    assert OutboundEmail.objects.filter(kind="academic_result").count() == 3
    by_ref = {m.to[0]: m for m in mailoutbox}
    admitted = by_ref[world.dossiers[0].candidate.email]
    assert "vous êtes admis(e)" in admitted.subject
    assert "trouver une entreprise d'accueil" in admitted.body
    assert "https://www.imt-mines-albi.fr/fr/recrutement-apprenti-ingenieur" in admitted.body
    assert "admissions@mines-albi.fr" in admitted.body
    below = by_ref[world.dossiers[1].candidate.email].body
    assert "Classé(e) au rang 2 avec une moyenne pondérée de 12,833/20" in below
    eliminated = by_ref[world.dossiers[2].candidate.email].body
    assert "Note de 3,5/20 à l'épreuve « Entretien avec le jury »" in eliminated
    assert "Absence à l'épreuve « Épreuve d'anglais » : éliminatoire." in eliminated
    published = AcademicDecision.objects.values_list("published_at", flat=True)
    assert set(published) == {ACADEMIC_AT}


def test_the_email_is_in_the_candidates_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    grade_all(world)
    candidate = world.dossiers[2].candidate
    candidate.language = "en"
    candidate.save()
    record_academic_list(campaign=world.campaign, by=world.officer, cutoff=1, now=GRADING_AT)
    with django_capture_on_commit_callbacks(execute=True):
        publish_academic_results(now=ACADEMIC_AT)
    body = next(m.body for m in mailoutbox if m.to == [candidate.email])
    assert "Absent from the exam 'English exam': eliminating." in body


def test_the_funnel_counts_examined_eliminated_and_admitted(world):
    from admissions.verification.funnel import count_funnel

    grade_all(world)
    record_academic_list(campaign=world.campaign, by=world.officer, cutoff=1, now=GRADING_AT)
    figures = count_funnel(world.officer, world.campaign)
    assert (figures.total.examined, figures.total.eliminated, figures.total.admitted) == (3, 1, 1)
