"""Saving a dossier page through its services (issue 9): lock, check, write, audit; the
formations and the notice saved by a service, not by a view."""

from __future__ import annotations

import pytest

from admissions.audit.models import AuditEntry
from admissions.dossiers.models import Dossier
from admissions.dossiers.services import DossierError, choose_formations, open_dossier, save_page
from tests.dossiers.helpers import AFTER_CLOSE, IN_WINDOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(accounts_by_role, reference_campaign):
    return open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )


def rename(dossier: Dossier, name: str):
    def write() -> Dossier:
        dossier.last_name = name
        dossier.save()
        return dossier

    return write


def save_identity(dossier: Dossier, campaign, now=IN_WINDOW) -> None:
    save_page(
        dossier=dossier,
        params=campaign.params(),
        write=rename(dossier, "Martin"),
        action="dossiers.identity.saved",
        by=dossier.candidate,
        now=now,
    )


def test_save_page_writes_the_page_and_records_its_action(dossier, reference_campaign):
    save_identity(dossier, reference_campaign)

    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.last_name, stored.updated_at) == ("Martin", IN_WINDOW)
    entries = AuditEntry.objects.filter(action="dossiers.identity.saved")
    assert [(entry.actor_id, entry.target_id) for entry in entries] == [
        (dossier.candidate.pk, str(dossier.pk))
    ]


def test_save_page_of_a_submitted_dossier_is_refused_and_writes_nothing(
    dossier, reference_campaign
):
    Dossier.objects.filter(pk=dossier.pk).update(state=Dossier.State.SUBMITTED)

    with pytest.raises(DossierError):
        save_identity(dossier, reference_campaign)

    assert Dossier.objects.get(pk=dossier.pk).last_name == ""
    assert AuditEntry.objects.filter(action="dossiers.identity.saved").count() == 0


def test_save_page_after_the_close_is_refused(dossier, reference_campaign):
    with pytest.raises(DossierError):
        save_identity(dossier, reference_campaign, now=AFTER_CLOSE)

    assert Dossier.objects.get(pk=dossier.pk).last_name == ""


def test_save_page_of_a_formset_writes_the_dossiers_updated_at(dossier, reference_campaign):
    save_page(
        dossier=dossier,
        params=reference_campaign.params(),
        write=lambda: [],  # a formset's save returns its rows, not the dossier
        action="dossiers.education.saved",
        by=dossier.candidate,
        now=IN_WINDOW,
    )

    assert Dossier.objects.get(pk=dossier.pk).updated_at == IN_WINDOW


def choose(dossier: Dossier, campaign, options, *, ticked: bool = True, now=IN_WINDOW) -> None:
    choose_formations(
        dossier=dossier,
        params=campaign.params(),
        options=options,
        notice_acknowledged=ticked,
        by=dossier.candidate,
        now=now,
    )


def test_choose_formations_keeps_the_order_and_the_moment_the_notice_was_read(
    dossier, reference_campaign
):
    first, second = list(reference_campaign.options_on_offer())[:2]
    later = IN_WINDOW.replace(hour=11)

    choose(dossier, reference_campaign, [second, first])
    choose(dossier, reference_campaign, [first], now=later)

    stored = Dossier.objects.get(pk=dossier.pk)
    assert [(c.rank, c.option_id) for c in stored.choices.order_by("rank")] == [(1, first.pk)]
    assert (stored.notice_acknowledged_at, stored.updated_at) == (IN_WINDOW, later)
    assert AuditEntry.objects.filter(action="dossiers.formations.saved").count() == 2


def test_choose_formations_unticking_the_notice_forgets_it(dossier, reference_campaign):
    first = reference_campaign.options_on_offer()[0]
    for ticked in (True, False):
        choose(dossier, reference_campaign, [first], ticked=ticked)

    assert Dossier.objects.get(pk=dossier.pk).notice_acknowledged_at is None


def test_choose_formations_of_a_submitted_dossier_is_refused(dossier, reference_campaign):
    first = reference_campaign.options_on_offer()[0]
    Dossier.objects.filter(pk=dossier.pk).update(state=Dossier.State.SUBMITTED)

    with pytest.raises(DossierError):
        choose(dossier, reference_campaign, [first])

    assert Dossier.objects.get(pk=dossier.pk).choices.count() == 0
