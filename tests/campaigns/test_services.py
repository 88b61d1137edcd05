"""Loading a campaign file is idempotent, applies edits, and exports back losslessly (R1.1)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from admissions.audit.models import AuditEntry
from admissions.campaigns.models import (
    AlternationPeriod,
    Campaign,
    CampaignExtension,
    ExamDefinition,
    Option,
    Programme,
    School,
    SeatGroup,
)
from admissions.campaigns.schema import load_campaign_file
from admissions.campaigns.services import export_campaign, load_campaign

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MODELS = (School, Campaign, Programme, Option, SeatGroup, ExamDefinition, AlternationPeriod)


def load_text(text: str, by=None) -> tuple[Campaign, bool]:
    return load_campaign(load_campaign_file(text), source_text=text, by=by)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every campaign table, timestamps included."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS} | {
        "CampaignExtension": list(CampaignExtension.objects.order_by("pk").values())
    }


def test_load_campaign_creates_everything(reference_text):
    campaign, changed = load_text(reference_text)

    assert changed is True
    assert campaign.code == "imt-mines-albi-2021"
    assert campaign.school.code == "imt-mines-albi"
    assert [o.code for o in campaign.options_on_offer()] == ["SENMBA", "SIPHASS", "SIMMA"]
    assert dict(campaign.seat_groups.values_list("code", "seats")) == {
        "apprentissage": 45,
        "fc_cp": 5,
    }
    assert list(campaign.exam_definitions.values_list("code", "duration_minutes")) == [
        ("interview", 30),
        ("english", 15),
    ]
    assert campaign.alternation_periods.count() == 12 + 8 + 5
    assert campaign.applications_closes_at == datetime(2021, 3, 10, tzinfo=PARIS)
    assert campaign.fee_standard_first == Decimal("77.00")
    assert len(campaign.source_sha256) == 64
    assert AuditEntry.objects.filter(action="campaigns.campaign.loaded").count() == 1


def test_params_from_the_database_equal_the_file_params(reference_text, reference_params):
    campaign, _ = load_text(reference_text)

    assert Campaign.objects.get(pk=campaign.pk).params() == reference_params


def test_loading_the_same_file_twice_changes_nothing(reference_text):
    load_text(reference_text)
    before = snapshot()
    audit_count = AuditEntry.objects.count()

    campaign, changed = load_text(reference_text)

    assert changed is False
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_count


def test_loading_the_export_changes_nothing(reference_text):
    campaign, _ = load_text(reference_text)
    exported = export_campaign(campaign)
    before = snapshot()

    _, changed = load_text(exported)

    assert changed is False
    after = snapshot()
    # Only the kept source text and its hash differ: the content is the same.
    for rows in (before["Campaign"], after["Campaign"]):
        for row in rows:
            del row["source_text"], row["source_sha256"]
    assert after == before


def test_edited_file_updates_seats_options_and_dates(reference_text):
    campaign, _ = load_text(reference_text)
    edited = (
        reference_text.replace("seats = 45", "seats = 48")
        .replace("closes_at = 2021-03-10T00:00:00", "closes_at = 2021-03-12T00:00:00")
        .replace(
            'name = "Secteur Industrie Pharmaceutique et Services"', 'name = "SIPHASS renamed"'
        )
    )
    # Remove SIMMA, the last [[options]] block.
    start = edited.index('[[options]]\ncode = "SIMMA"')
    end = edited.index("# -----", start)
    edited = edited[:start] + edited[end:]

    campaign, changed = load_text(edited)

    assert changed is True
    campaign.refresh_from_db()
    assert campaign.seat_groups.get(code="apprentissage").seats == 48
    assert campaign.applications_closes_at == datetime(2021, 3, 12, tzinfo=PARIS)
    assert [o.code for o in campaign.options_on_offer()] == ["SENMBA", "SIPHASS"]
    assert Option.objects.get(code="SIPHASS").name == "SIPHASS renamed"
    assert not Option.objects.filter(code="SIMMA").exists()
    assert campaign.params().calendar.applications.closes_at == datetime(2021, 3, 12, tzinfo=PARIS)


def test_removed_option_still_chosen_by_a_dossier_is_kept_inactive(
    reference_text, django_user_model
):
    from admissions.dossiers.models import Dossier, FormationChoice

    campaign, _ = load_text(reference_text)
    candidate = django_user_model.objects.create_user("candidate@example.org", "x" * 12)
    now = datetime(2021, 2, 2, tzinfo=PARIS)
    dossier = Dossier.objects.create(
        campaign=campaign, candidate=candidate, reference="A-0001", created_at=now, updated_at=now
    )
    FormationChoice.objects.create(dossier=dossier, option=Option.objects.get(code="SIMMA"), rank=1)
    start = reference_text.index('[[options]]\ncode = "SIMMA"')
    end = reference_text.index("# -----", start)

    _, changed = load_text(reference_text[:start] + reference_text[end:])

    assert changed is True
    simma = Option.objects.get(code="SIMMA")
    assert simma.is_active is False
    assert [o.code for o in campaign.options_on_offer()] == ["SENMBA", "SIPHASS"]


def test_file_sets_back_a_date_moved_by_staff(reference_text):
    campaign, _ = load_text(reference_text)
    campaign.admissibility_results_at = datetime(2021, 3, 25, 12, tzinfo=PARIS)
    campaign.save()

    campaign, changed = load_text(reference_text)

    assert changed is True
    assert campaign.admissibility_results_at == datetime(2021, 3, 24, tzinfo=PARIS)


def test_params_and_export_show_dates_moved_by_staff(reference_text):
    campaign, _ = load_text(reference_text)
    campaign.admissibility_results_at = datetime(2021, 3, 25, 12, tzinfo=PARIS)
    campaign.save()

    exported = export_campaign(campaign)

    assert campaign.params().calendar.admissibility_results_at == datetime(
        2021, 3, 25, 12, tzinfo=PARIS
    )
    assert "admissibility_results_at = 2021-03-25T12:00:00" in exported


def test_staff_extension_survives_a_reload_and_is_exported(reference_text):
    campaign, _ = load_text(reference_text)
    CampaignExtension.objects.create(
        campaign=campaign,
        window=CampaignExtension.Window.APPLICATIONS,
        closes_at=datetime(2021, 3, 11, tzinfo=PARIS),
        reason="Panne de la plateforme le 9 mars au soir",
        candidate_ref="A-0042",
    )

    load_text(reference_text)
    exported = export_campaign(campaign)
    load_text(exported)
    _, changed = load_text(exported)

    assert CampaignExtension.objects.count() == 1
    assert CampaignExtension.objects.get().source == CampaignExtension.Source.STAFF
    assert changed is False
    (extension,) = campaign.params().extensions
    assert (extension.window, extension.candidate) == ("applications", "A-0042")
    assert extension.closes_at == datetime(2021, 3, 11, tzinfo=PARIS)


def test_extension_removed_from_the_file_is_removed(reference_text):
    with_extension = reference_text.replace(
        "extensions = []",
        'extensions = [{ window = "applications", closes_at = 2021-03-11T00:00:00, '
        'reason = "Panne" }]',
    )
    campaign, _ = load_text(with_extension)
    assert campaign.extensions.get().source == CampaignExtension.Source.FILE

    _, changed = load_text(reference_text)

    assert changed is True
    assert campaign.extensions.count() == 0


def test_round_trip_is_lossless(reference_text, reference_document, reference_params):
    campaign, _ = load_text(reference_text)

    exported = export_campaign(campaign)
    document = load_campaign_file(exported)

    assert document == reference_document
    assert document.to_params() == reference_params


def test_export_is_deterministic(reference_text):
    campaign, _ = load_text(reference_text)

    first = export_campaign(campaign)
    second = export_campaign(Campaign.objects.get(pk=campaign.pk))

    assert first == second


def test_window_closing_at_3_am_on_the_spring_forward_day(reference_text):
    """2021-03-28: Paris clocks jump from 02:00 to 03:00. 03:00 local exists: 01:00 UTC."""
    from admissions.rules import deadlines

    text = reference_text.replace(
        "[calendar.exam_booking]\nopens_at = 2021-03-24T00:00:00\ncloses_at = 2021-03-29T00:00:00",
        "[calendar.exam_booking]\nopens_at = 2021-03-24T00:00:00\ncloses_at = 2021-03-28T03:00:00",
    )
    campaign, _ = load_text(text)

    window = Campaign.objects.get(pk=campaign.pk).params().calendar.exam_booking

    assert window.closes_at.isoformat() == "2021-03-28T03:00:00+02:00"
    assert campaign.exam_booking_closes_at == datetime.fromisoformat("2021-03-28T01:00:00+00:00")
    last_second = datetime.fromisoformat("2021-03-28T01:59:59+01:00")
    assert deadlines.is_open(window, last_second) is True
    assert deadlines.is_open(window, datetime.fromisoformat("2021-03-28T03:00:00+02:00")) is False


def test_extend_window_records_the_reason_in_the_audit(reference_text, django_user_model):
    from admissions.campaigns.services import extend_window

    campaign, _ = load_text(reference_text)
    staff = django_user_model.objects.create_user("officer@example.org", "x" * 12)

    extension = extend_window(
        campaign=campaign,
        window="applications",
        closes_at=datetime(2021, 3, 11, tzinfo=PARIS),
        reason="Panne de la plateforme le 9 mars au soir",
        by=staff,
    )

    assert extension.created_by == staff
    assert extension.source == CampaignExtension.Source.STAFF
    entry = AuditEntry.objects.get(action="campaigns.extension.created")
    assert entry.reason == "Panne de la plateforme le 9 mars au soir"
    assert entry.actor == staff


def test_extend_window_refuses_an_extension_that_shortens(reference_text):
    from admissions.campaigns.services import ExtensionError, extend_window

    campaign, _ = load_text(reference_text)

    with pytest.raises(ExtensionError):
        extend_window(
            campaign=campaign,
            window="applications",
            closes_at=datetime(2021, 3, 9, tzinfo=PARIS),
            reason="Erreur",
        )
    assert campaign.extensions.count() == 0
