"""Loading a campaign file into the database and writing it back (R1.1)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any

import tomli_w
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.audit import services as audit
from admissions.campaigns import schema
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
from admissions.core import clock

_TOML_DATETIME = re.compile(r"(= )(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?=[ ,}\n])")
EXPORT_HEADER = (
    "# Campaign file exported by the admissions platform (format_version 1).\n"
    "# Comments of the original file are not kept: see\n"
    "# admissions/campaigns/reference/imt-mines-albi-2021.toml for a commented example.\n\n"
)


def load_campaign(
    document: schema.CampaignDocument, *, source_text: str, by: Any = None
) -> tuple[Campaign, bool]:
    """Create or update the campaign described by ``document``; return it and whether it changed.

    Idempotent: loading the same content again writes nothing and returns ``changed=False``.
    The file is the source of truth for what it contains: dates moved by staff are set back to
    the file's; programmes, options, seat groups and exams missing from the file are deleted,
    or, when other records still refer to them (a dossier's option), kept but marked inactive.
    Extensions recorded by staff stay; extensions that came from an earlier file and are no
    longer in it are deleted.
    Side effects: one audit entry "campaigns.campaign.loaded" when something changed.
    """
    sha256 = hashlib.sha256(source_text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        changes: list[str] = []
        school = _sync_school(document, changes)
        campaign = Campaign.objects.select_for_update().filter(code=document.campaign.code).first()
        created = campaign is None
        if campaign is None:
            campaign = Campaign(code=document.campaign.code)
        if _assign(campaign, _campaign_values(document, school)):
            changes.append("campaign")
        if created or changes:
            campaign.full_clean(exclude=["loaded_by", "source_text", "source_sha256"])
            campaign.save()
        _sync_programmes(campaign, document, changes)
        _sync_rows(
            campaign.seat_groups.all(),
            {
                group.code: {
                    "name": group.name,
                    "name_en": group.name_en,
                    "statuses": [status.value for status in group.statuses],
                    "seats": group.seats,
                    "position": position,
                }
                for position, group in enumerate(document.seat_groups)
            },
            create=lambda code, values: SeatGroup.objects.create(
                campaign=campaign, code=code, **values
            ),
            changes=changes,
            label="seat_groups",
        )
        _sync_rows(
            campaign.exam_definitions.all(),
            {
                exam.code: {
                    "name": exam.name,
                    "name_en": exam.name_en,
                    "examiner": exam.examiner,
                    "duration_minutes": exam.duration_minutes,
                    "max_grade": exam.max_grade,
                    "eliminating_at_or_below": exam.eliminating_at_or_below,
                    "absence_eliminates": exam.absence_eliminates,
                    "position": position,
                }
                for position, exam in enumerate(document.exams)
            },
            create=lambda code, values: ExamDefinition.objects.create(
                campaign=campaign, code=code, **values
            ),
            changes=changes,
            label="exams",
        )
        _sync_alternation(campaign, document, changes)
        _sync_extensions(campaign, document, changes)

        if changes:
            campaign.source_text = source_text
            campaign.source_sha256 = sha256
            campaign.loaded_at = clock.now()
            campaign.loaded_by = by if getattr(by, "pk", None) is not None else None
            campaign.save()
            audit.record(
                by,
                "campaigns.campaign.loaded",
                campaign,
                data={"created": created, "changed": sorted(set(changes)), "sha256": sha256},
            )
        elif campaign.source_sha256 != sha256:
            # Same content, other text (comments, layout): keep the text without calling it a
            # change, so updated_at still tells when the campaign last changed.
            Campaign.objects.filter(pk=campaign.pk).update(
                source_text=source_text, source_sha256=sha256
            )
            campaign.source_text, campaign.source_sha256 = source_text, sha256
    return campaign, bool(changes)


class ExtensionError(ValueError):
    """An extension that cannot be recorded; ``message`` is shown to staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def extension_problem(
    *, campaign: Campaign, window: str, closes_at: datetime | None, reason: str
) -> str | None:
    """Why this extension cannot be recorded, in the page's language; None if it can."""
    if window not in CampaignExtension.Window.values:
        return _("Fenêtre inconnue : %(window)s.") % {"window": window}
    if not reason.strip():
        return _("Le motif de la prolongation est obligatoire.")
    if closes_at is None or timezone.is_naive(closes_at):
        return _("La nouvelle clôture doit porter un fuseau horaire.")
    base_close = getattr(campaign, f"{window}_closes_at")
    if closes_at <= base_close:
        return _("Une prolongation doit fermer après la clôture prévue (%(close)s).") % {
            "close": campaign.local(base_close).isoformat(sep=" ", timespec="minutes")
        }
    return None


def extend_window(
    *,
    campaign: Campaign,
    window: str,
    closes_at: datetime,
    reason: str,
    candidate_ref: str = "",
    by: Any = None,
) -> CampaignExtension:
    """Extend ``window`` for everyone, or for one candidate when ``candidate_ref`` is given (R1.6).

    The new close must be later than the window's close in the campaign, and a reason is
    required. Side effects: an audit entry "campaigns.extension.created" with the reason.
    """
    problem = extension_problem(
        campaign=campaign, window=window, closes_at=closes_at, reason=reason
    )
    if problem:
        raise ExtensionError(problem)
    with transaction.atomic():
        extension = CampaignExtension.objects.create(
            campaign=campaign,
            window=window,
            closes_at=closes_at,
            reason=reason.strip(),
            candidate_ref=candidate_ref.strip(),
            source=CampaignExtension.Source.STAFF,
            created_by=by if getattr(by, "pk", None) is not None else None,
        )
        audit.record(
            by,
            "campaigns.extension.created",
            campaign,
            reason=extension.reason,
            data={
                "window": window,
                "closes_at": closes_at.isoformat(),
                "candidate": extension.candidate_ref or None,
            },
        )
    return extension


def export_campaign(campaign: Campaign) -> str:
    """The campaign in the campaign-file format, with staff's changes; the same campaign always
    gives the same text, and loading it gives the same document (R1.1)."""
    document = campaign.current_document()
    text = tomli_w.dumps(schema.document_to_toml_data(document))
    # tomli-w writes date-times as "2021-03-10 00:00:00"; the files use the ISO "T" form.
    text = _TOML_DATETIME.sub(r"\1\2T\3", text)
    return EXPORT_HEADER + text


# --- Synchronisation helpers ----------------------------------------------------------------


def _assign(instance: Model, values: Mapping[str, Any]) -> bool:
    """Set the fields that differ; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _sync_school(document: schema.CampaignDocument, changes: list[str]) -> School:
    section = document.school
    school = School.objects.select_for_update().filter(code=section.code).first()
    if school is None:
        changes.append("school")
        return School.objects.create(
            code=section.code, name=section.name, short_name=section.short_name
        )
    if _assign(school, {"name": section.name, "short_name": section.short_name}):
        school.save()
        changes.append("school")
    return school


def _campaign_values(document: schema.CampaignDocument, school: School) -> dict[str, Any]:
    cal = document.calendar
    aware = document.aware
    return {
        "school_id": school.pk,
        "name": document.campaign.name,
        "name_en": document.campaign.name_en,
        "session": document.campaign.session,
        "time_zone": document.campaign.time_zone,
        "applications_opens_at": aware(cal.applications.opens_at),
        "applications_closes_at": aware(cal.applications.closes_at),
        "admissibility_results_at": aware(cal.admissibility_results_at),
        "exam_booking_opens_at": aware(cal.exam_booking.opens_at),
        "exam_booking_closes_at": aware(cal.exam_booking.closes_at),
        "exams_opens_at": aware(cal.exams.opens_at),
        "exams_closes_at": aware(cal.exams.closes_at),
        "academic_results_at": aware(cal.academic_results_at),
        "final_list_frozen_at": aware(cal.final_list_frozen_at),
        "diploma_deadline": cal.diploma_deadline,
        "training_starts_on": cal.training_starts_on,
        "earliest_contract_start": cal.earliest_contract_start,
        "replacement_deadline": (
            aware(cal.replacement_deadline) if cal.replacement_deadline else None
        ),
        "currency": document.fees.currency,
        "fee_standard_first": document.fees.standard.first,
        "fee_standard_each_further": document.fees.standard.each_further,
        "fee_scholarship_first": document.fees.scholarship.first,
        "fee_scholarship_each_further": document.fees.scholarship.each_further,
        "document": document.model_dump(mode="json"),
    }


def _remove(row: Model) -> bool:
    """Delete ``row``; if other records protect it, mark it inactive instead. True if it changed."""
    try:
        with transaction.atomic():
            row.delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        if hasattr(row, "is_active"):
            if row.is_active:
                row.is_active = False
                row.save(update_fields=["is_active", "updated_at"])
                return True
            return False
        raise
    return True


def _create_option(programme: Programme, code: str, values: dict[str, Any]) -> Option:
    return Option.objects.create(programme=programme, code=code, **values)


def _sync_rows(
    queryset: QuerySet,
    wanted: Mapping[str, Mapping[str, Any]],
    *,
    create: Callable[[str, dict[str, Any]], Model],
    changes: list[str],
    label: str,
) -> dict[str, Model]:
    """Make the rows of ``queryset`` (keyed by ``code``) match ``wanted``; return them by code."""
    existing = {row.code: row for row in queryset}
    rows: dict[str, Model] = {}
    for code, values in wanted.items():
        row = existing.pop(code, None)
        values = dict(values)
        if hasattr(queryset.model, "is_active"):
            values["is_active"] = True
        if row is None:
            rows[code] = create(code, values)
            changes.append(label)
            continue
        if _assign(row, values):
            row.save()
            changes.append(label)
        rows[code] = row
    for row in existing.values():
        if _remove(row):
            changes.append(label)
    return rows


def _sync_programmes(
    campaign: Campaign, document: schema.CampaignDocument, changes: list[str]
) -> None:
    programmes = _sync_rows(
        campaign.programmes.all(),
        {
            programme.code: {
                "name": programme.name,
                "name_en": programme.name_en,
                "url": programme.url,
                "position": position,
            }
            for position, programme in enumerate(document.programmes)
        },
        create=lambda code, values: Programme.objects.create(
            campaign=campaign, code=code, **values
        ),
        changes=changes,
        label="programmes",
    )
    by_programme: dict[str, dict[str, dict[str, Any]]] = {code: {} for code in programmes}
    for position, option in enumerate(document.options):
        by_programme[option.programme][option.code] = {
            "name": option.name,
            "name_en": option.name_en,
            "sectors": list(option.sectors),
            "position": position,
        }
    for programme in Programme.objects.filter(campaign=campaign):
        wanted = by_programme.get(programme.code, {})
        _sync_rows(
            programme.options.all(),
            wanted,
            create=partial(_create_option, programme),
            changes=changes,
            label="options",
        )


def _alternation_rows(document: schema.CampaignDocument) -> list[dict[str, Any]]:
    alternation = document.alternation
    if alternation is None:
        return []
    rows = []
    for year in alternation.years:
        for block in year.blocks:
            first_year, first_week = schema.parse_week(block.first)
            last_year, last_week = schema.parse_week(block.last)
            rows.append(
                {
                    "academic_year": alternation.academic_year,
                    "year_of_study": year.year_of_study,
                    "kind": block.kind.value,
                    "first_week": block.first,
                    "last_week": block.last,
                    "starts_on": date.fromisocalendar(first_year, first_week, 1),
                    "ends_on": date.fromisocalendar(last_year, last_week, 7),
                }
            )
    return rows


def _sync_alternation(
    campaign: Campaign, document: schema.CampaignDocument, changes: list[str]
) -> None:
    """The periods are derived from the file: replaced as a whole when they differ."""
    fields = (
        "academic_year",
        "year_of_study",
        "kind",
        "first_week",
        "last_week",
        "starts_on",
        "ends_on",
    )
    wanted = _alternation_rows(document)
    current = [
        {name: getattr(row, name) for name in fields}
        for row in campaign.alternation_periods.order_by("year_of_study", "starts_on")
    ]
    if current == sorted(wanted, key=lambda row: (row["year_of_study"], row["starts_on"])):
        return
    campaign.alternation_periods.all().delete()
    AlternationPeriod.objects.bulk_create(
        AlternationPeriod(campaign=campaign, **row) for row in wanted
    )
    changes.append("alternation")


def _sync_extensions(
    campaign: Campaign, document: schema.CampaignDocument, changes: list[str]
) -> None:
    wanted: list[tuple[str, datetime, str, str]] = [
        (
            extension.window,
            document.aware(extension.closes_at),
            extension.reason,
            extension.candidate or "",
        )
        for extension in document.extensions
    ]
    existing = list(campaign.extensions.all())
    keys = {(row.window, row.closes_at, row.reason, row.candidate_ref): row for row in existing}
    for key in wanted:
        if key not in keys:
            window, closes_at, reason, candidate = key
            row = CampaignExtension.objects.create(
                campaign=campaign,
                window=window,
                closes_at=closes_at,
                reason=reason,
                candidate_ref=candidate,
                source=CampaignExtension.Source.FILE,
            )
            keys[key] = row
            changes.append("extensions")
    wanted_set = set(wanted)
    for key, row in keys.items():
        if row.source == CampaignExtension.Source.FILE and key not in wanted_set:
            row.delete()
            changes.append("extensions")
