"""Publishing the admissibility results (R5.2): one individual email per decided candidate, at
the instant staff set, never before, never twice; decisions final once published."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from admissions.accounts.models import User
from admissions.audit.models import AuditEntry
from admissions.committee.models import AdmissibilityDecision
from admissions.committee.services import (
    CommitteeError,
    decide_admissibility,
    publish_results,
    record_score,
)
from admissions.notifications.models import OutboundEmail
from tests.committee.conftest import AFTER, BEFORE, forward, submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(reference_campaign, people):
    """Two forwarded dossiers decided before the instant: one admissible, one not."""
    admitted = forward(
        submitted_dossier(reference_campaign, "yes@example.org", "Admis"), people["central"]
    )
    refused = forward(
        submitted_dossier(reference_campaign, "no@example.org", "Refus"), people["central"]
    )
    decide_admissibility(
        dossier=admitted, by=people["officer"], admissible=True, comment="", now=BEFORE
    )
    decide_admissibility(
        dossier=refused, by=people["officer"], admissible=False, comment="Projet flou.", now=BEFORE
    )
    return admitted, refused


def publish(now, callbacks) -> int:
    with callbacks(execute=True):
        return publish_results(now=now)


def test_publish_results_before_the_instant_sends_nothing(
    decided, mailoutbox, django_capture_on_commit_callbacks
):
    assert publish(BEFORE, django_capture_on_commit_callbacks) == 0

    assert mailoutbox == []
    assert OutboundEmail.objects.filter(kind="admissibility_result").count() == 0
    assert list(AdmissibilityDecision.objects.values_list("published_at", flat=True)) == [
        None,
        None,
    ]


def test_publish_results_at_the_instant_emails_each_candidate_once(
    decided, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://candidatures.example"
    admitted, refused = decided

    assert publish(AFTER, django_capture_on_commit_callbacks) == 2
    assert publish(AFTER, django_capture_on_commit_callbacks) == 0

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_recipient) == ["no@example.org", "yes@example.org"]
    yes, no = by_recipient["yes@example.org"], by_recipient["no@example.org"]
    assert yes.subject == (
        f"Résultat d'admissibilité — dossier {admitted.reference} : vous êtes admissible"
    )
    assert "https://candidatures.example/dossier/epreuves/" in yes.body.splitlines()
    assert no.subject == f"Résultat d'admissibilité — dossier {refused.reference}"
    assert (
        # "de l'école": "de IMT" would want the elision ("d'IMT") a school's name cannot know
        f"La commission d'admissibilité de l'école IMT Mines Albi-Carmaux a examiné votre dossier "
        f"{refused.reference} : vous n'êtes pas admissible. Cette décision est définitive."
    ) in no.body.splitlines()
    assert "Projet flou." not in no.body  # the committee's reason stays with staff
    assert set(AdmissibilityDecision.objects.values_list("published_at", flat=True)) == {AFTER}
    assert AuditEntry.objects.filter(action="committee.decision.published").count() == 2


def test_publish_results_writes_in_the_candidates_language(
    decided, mailoutbox, django_capture_on_commit_callbacks
):
    admitted, _refused = decided
    User.objects.filter(pk=admitted.candidate_id).update(language="en")  # the account's (R8.2)
    mailoutbox.clear()

    publish(AFTER, django_capture_on_commit_callbacks)

    (message,) = [m for m in mailoutbox if m.to == ["yes@example.org"]]
    assert message.subject == (
        f"Admissibility result — application {admitted.reference}: you are admissible"
    )


def test_a_decision_that_missed_a_run_is_published_by_the_next(
    decided, reference_campaign, people, mailoutbox, django_capture_on_commit_callbacks
):
    publish(AFTER, django_capture_on_commit_callbacks)
    late = forward(
        submitted_dossier(reference_campaign, "late@example.org", "Tard"), people["central"]
    )
    # Decided just before the instant, committed after the run had read the decisions.
    AdmissibilityDecision.objects.create(
        dossier=late, admissible=True, decided_by=people["officer"], decided_at=BEFORE
    )
    mailoutbox.clear()

    assert publish(AFTER, django_capture_on_commit_callbacks) == 1

    assert [message.to for message in mailoutbox] == [["late@example.org"]]


def test_publish_results_command_uses_the_platform_clock(
    decided, clock_at, mailoutbox, django_capture_on_commit_callbacks
):
    clock_at(AFTER)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_results", stdout=out)

    assert out.getvalue() == (
        "2 admissibility result(s) published\n0 academic result(s) published\n"
    )
    assert len(mailoutbox) == 2


def test_published_decisions_are_final_no_service_changes_them(
    decided, people, django_capture_on_commit_callbacks
):
    admitted, _refused = decided
    publish(AFTER, django_capture_on_commit_callbacks)

    with pytest.raises(CommitteeError):
        decide_admissibility(
            dossier=admitted, by=people["officer"], admissible=False, comment="Non.", now=AFTER
        )
    with pytest.raises(CommitteeError):
        record_score(
            dossier=admitted, member=people["member"], score=Decimal("3"), comment="", now=AFTER
        )

    decision = AdmissibilityDecision.objects.get(dossier=admitted)
    assert (decision.admissible, decision.decided_at, decision.published_at) == (
        True,
        BEFORE,
        AFTER,
    )
