"""Referee services (R3.5, R10.2): naming, reminders, replacement, the answer, the checklist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.audit.models import AuditEntry
from admissions.dossiers.models import Dossier
from admissions.dossiers.selectors import document_checklist, provided_documents
from admissions.referees import links, selectors, services
from admissions.referees.models import Recommendation, Referee
from admissions.referees.services import RefereeError
from admissions.rules.documents import ItemState, ProvidedState

from .conftest import IN_WINDOW, link_path

pytestmark = pytest.mark.django_db

ANSWERS = {
    "acquaintance": "Deux ans, comme tuteur de stage.",
    "strengths": "Rigueur remarquable.",
    "improvements": "Prendre la parole en réunion.",
    "opinion": "very_favourable",
    "comment": "",
}


def submit(referee, now=IN_WINDOW, attachment=None):
    return services.submit_recommendation(
        referee=referee,
        nonce=referee.token_nonce,
        answers=ANSWERS,
        attachment=attachment,
        now=now,
    )


def test_name_referee_sends_one_email_with_a_working_link(
    dossier, name_referee, client, frozen_clock
):
    referee = name_referee(dossier)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alex.martin@example.com"]
    # The subject names the school only; the candidate's name is in the body (issue 10).
    assert mail.outbox[0].subject == "Demande de recommandation — IMT Mines Albi"
    assert "Camille Durand vous a désigné(e)" in mail.outbox[0].body
    response = client.get(link_path(mail.outbox[0].body))
    assert response.status_code == 200
    assert referee.state == Referee.State.REQUESTED
    assert AuditEntry.objects.for_object(referee).get().action == "referees.referee.named"


def test_name_referee_refuses_a_second_referee_of_the_same_kind(dossier, name_referee):
    name_referee(dossier, "academic")

    with pytest.raises(RefereeError):
        name_referee(dossier, "academic", email="someone.else@example.com")
    assert dossier.referees.count() == 1


def test_name_referee_refuses_the_candidate_as_own_referee(dossier, name_referee):
    with pytest.raises(RefereeError) as error:
        name_referee(dossier, email=dossier.candidate.email.upper())

    assert error.value.field == "email"
    assert dossier.referees.count() == 0


def test_name_referee_refuses_once_the_dossier_is_submitted(dossier, name_referee):
    Dossier.objects.filter(pk=dossier.pk).update(state=Dossier.State.SUBMITTED)

    with pytest.raises(RefereeError):
        name_referee(dossier)
    assert len(mail.outbox) == 0


def test_name_referee_refuses_after_the_close(dossier, name_referee):
    after_close = IN_WINDOW.replace(month=3, day=10, hour=0)

    with pytest.raises(RefereeError):
        name_referee(dossier, now=after_close)


def test_remind_referee_is_refused_within_24_hours(dossier, name_referee):
    name_referee(dossier)

    with pytest.raises(RefereeError) as error:
        services.remind_referee(
            dossier=dossier,
            kind="professional",
            by=dossier.candidate,
            now=IN_WINDOW + timedelta(hours=23),
        )
    assert "24 heures" in str(error.value.message)
    assert len(mail.outbox) == 1


def test_remind_referee_after_24_hours_sends_a_fresh_link(
    dossier, name_referee, django_capture_on_commit_callbacks
):
    name_referee(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        referee = services.remind_referee(
            dossier=dossier,
            kind="professional",
            by=dossier.candidate,
            now=IN_WINDOW + timedelta(hours=24),
        )
    assert referee.state == Referee.State.REMINDED
    assert referee.reminders_count == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Rappel")
    with pytest.raises(RefereeError):  # the 24 hours start again from the reminder
        services.remind_referee(
            dossier=dossier,
            kind="professional",
            by=dossier.candidate,
            now=IN_WINDOW + timedelta(hours=47),
        )


def test_replace_referee_kills_the_old_link(dossier, name_referee):
    old = name_referee(dossier)
    old_token = links.make_token(old, now=IN_WINDOW)

    new = services.replace_referee(
        dossier=dossier,
        kind="professional",
        name="Sam Leroy",
        role="Tuteur",
        email="sam.leroy@example.com",
        by=dossier.candidate,
        now=IN_WINDOW,
    )
    old.refresh_from_db()
    assert old.state == Referee.State.REPLACED
    assert old.replaced_by == new
    assert links.read_link(old_token, now=IN_WINDOW).status == links.LinkStatus.REPLACED
    assert selectors.active_referees(dossier) == {"professional": new}
    with pytest.raises(RefereeError):  # the old referee cannot answer through a stale page
        submit(old)


def test_replace_referee_is_refused_once_the_referee_answered(dossier, name_referee):
    referee = name_referee(dossier)
    submit(referee)

    with pytest.raises(RefereeError):
        services.replace_referee(
            dossier=dossier,
            kind="professional",
            name="Sam Leroy",
            role="Tuteur",
            email="sam.leroy@example.com",
            by=dossier.candidate,
            now=IN_WINDOW,
        )


def test_submit_recommendation_twice_records_once(dossier, name_referee):
    referee = name_referee(dossier)

    first = submit(referee)
    second = submit(referee, now=IN_WINDOW + timedelta(seconds=1))

    assert (first.created, second.created) == (True, False)
    assert Recommendation.objects.filter(referee=referee).count() == 1
    assert second.recommendation.submitted_at == IN_WINDOW
    actions = list(AuditEntry.objects.for_object(referee).values_list("action", flat=True))
    assert actions == ["referees.referee.named", "referees.recommendation.received"]


def test_submit_recommendation_refuses_a_text_file(dossier, name_referee):
    referee = name_referee(dossier)
    text = SimpleUploadedFile("lettre.pdf", b"Bonjour, voici ma lettre.", "application/pdf")

    with pytest.raises(RefereeError) as error:
        submit(referee, attachment=text)
    assert error.value.field == "attachment"
    referee.refresh_from_db()
    assert referee.state == Referee.State.REQUESTED


def test_provided_documents_reflects_requested_then_received(dossier, name_referee):
    referee = name_referee(dossier, "academic")
    params = dossier.campaign.params()

    assert provided_documents(dossier)["academic_recommendation.referee"] == ProvidedState.REQUESTED
    submit(referee)

    assert provided_documents(dossier)["academic_recommendation.referee"] == ProvidedState.PROVIDED
    item = next(
        i
        for i in document_checklist(dossier, params).items
        if i.document.code == "academic_recommendation"
    )
    assert item.state == ItemState.SATISFIED
    assert "professional_recommendation" not in provided_documents(dossier)


def test_remind_silent_referees_waits_3_days_and_reminds_once(
    dossier, name_referee, django_capture_on_commit_callbacks
):
    referee = name_referee(dossier)
    campaign = dossier.campaign

    with django_capture_on_commit_callbacks(execute=True):
        early = services.remind_silent_referees(
            campaign=campaign, now=IN_WINDOW + timedelta(days=2)
        )
        due = services.remind_silent_referees(campaign=campaign, now=IN_WINDOW + timedelta(days=3))
        again = services.remind_silent_referees(
            campaign=campaign, now=IN_WINDOW + timedelta(days=3)
        )
        later = services.remind_silent_referees(
            campaign=campaign, now=IN_WINDOW + timedelta(days=6)
        )

    assert (early, due, again, later) == (0, 1, 0, 1)
    referee.refresh_from_db()
    assert referee.reminders_count == 2
    assert len(mail.outbox) == 3


def test_remind_silent_referees_skips_answered_and_submitted(dossier, other_dossier, name_referee):
    submit(name_referee(dossier))
    name_referee(other_dossier, email="x@example.com")
    Dossier.objects.filter(pk=other_dossier.pk).update(state=Dossier.State.SUBMITTED)

    assert selectors.referees_awaiting_answer(dossier.campaign, IN_WINDOW + timedelta(days=5)) == []


def test_remind_silent_referees_task_runs_in_the_background(dossier, name_referee, settings):
    from admissions.referees.tasks import remind_silent_referees

    name_referee(dossier)
    settings.CLOCK_AT = (IN_WINDOW + timedelta(days=4)).isoformat()

    result = remind_silent_referees.enqueue(dossier.campaign.pk)

    assert result.return_value == 1
    assert Referee.objects.get().state == Referee.State.REMINDED


def test_link_stops_working_a_week_after_the_close(dossier, name_referee):
    referee = name_referee(dossier)
    token = links.make_token(referee, now=IN_WINDOW.replace(month=3, day=9))

    assert links.read_link(token, now=IN_WINDOW.replace(month=3, day=16)).status == "valid"
    assert (
        links.read_link(token, now=IN_WINDOW.replace(month=3, day=17, hour=0)).status == "expired"
    )
