"""Purging a campaign's personal data after its retention period (R9.3).

``purge_campaign`` removes, in one transaction:

- every dossier of the campaign and everything that hangs from it (answers, formation choices,
  diplomas, experience, documents, pending declarations, referees and their recommendations,
  support messages, reminders, checks and committee scores of later issues): whatever Django's
  deletion collector reaches from the dossiers, so a model added later that cascades from a
  dossier is purged too; the payments first (they protect their dossier);
- the exams' personal data (bookings and their timetable slots, accommodation requests with
  their proof files, grades, academic decisions): they cascade from the dossiers, named here
  so that nobody makes one of them outlive its dossier; the exam days stay, their seat counts
  back to zero;
- the files of those rows (documents, recommendation attachments) from storage, once the
  transaction has committed (a rollback keeps them; ``sweep_uploads --orphans`` removes any
  file left by a deletion that failed after the commit);
- the candidate accounts that have no dossier left in another campaign and no staff role
  (their email addresses, second factors, and so on cascade with them);
- the campaign's calendar subscriptions (R8.1: apprentices' and company tutors' links, and any
  staff made by hand; their labels name people), whether or not they hang from a dossier;
- the outbox rows addressed to those candidates, to the campaign's referees or to the company
  tutors the candidates declared.

It keeps the campaign itself (its file, dates, options), the staff accounts, and the audit
trail. The trail is append-only (R9.1): its entries are not deleted; those about a purged row,
or written by a deleted account, lose their free-text reason and details, and the deleted
account's address is replaced by "compte supprimé" (``AuditEntry.erase_personal_fields``, the
one change the database trigger accepts). What happened, when, to which row id, and which
staff member did it stay. One entry "campaigns.campaign.purged" records who purged, when, the
counts, and anonymous statistics (dossiers per state, per status sought and per option chosen;
payments per state with their total), which is all the campaign keeps of its candidates.

A dry run does exactly the same work and rolls it back: it lists what the real run would
remove, and removes nothing (no file is touched before a commit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.db import models, router, transaction
from django.db.models import Count, Sum
from django.db.models.deletion import Collector
from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from admissions.accounts.models import Role, User
from admissions.alternation.models import CalendarSubscription
from admissions.audit.models import AuditEntry
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.companies.models import HostCompany
from admissions.dossiers.models import Dossier, FormationChoice
from admissions.exams.models import (
    AcademicDecision,
    Accommodation,
    Booking,
    ExamDay,
    ExamSlot,
    Grade,
)
from admissions.notifications.models import OutboundEmail
from admissions.payments.models import Payment
from admissions.referees.models import Referee
from admissions.rules import retention

PURGED_ACTION = "campaigns.campaign.purged"
CENT = Decimal("0.01")


class PurgeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PurgeReport:
    """What a purge removed (or, for a dry run, would remove)."""

    campaign: str
    dry_run: bool
    rows: Counter[str] = field(default_factory=Counter)  # model label -> rows deleted
    files: list[str] = field(default_factory=list)  # storage names
    accounts_deleted: int = 0
    accounts_kept: int = 0  # candidates with a dossier in another campaign: only this one goes
    audit_entries_erased: int = 0
    outbound_emails: int = 0
    statistics: dict = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        return {
            "dossiers": self.rows.get("dossiers.dossier", 0),
            "files": len(self.files),
            "accounts_deleted": self.accounts_deleted,
            "accounts_kept": self.accounts_kept,
            "audit_entries_erased": self.audit_entries_erased,
            "outbound_emails": self.outbound_emails,
            "rows": dict(sorted(self.rows.items())),
        }


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def purge_campaign(*, campaign: Campaign, by: User, now: datetime, dry_run: bool) -> PurgeReport:
    """Remove the campaign's personal data (see the module's docstring), or list them.

    Raises PurgeError before the retention date the campaign file sets, when it sets none, or
    when ``by`` is not a platform administrator. Side effects (real run only): rows deleted,
    audit entries erased, one audit entry "campaigns.campaign.purged", files deleted from
    storage after commit."""
    if not by.has_role(Role.PLATFORM_ADMIN):
        raise PurgeError(_("Seul un administrateur de la plateforme peut purger une campagne."))
    report = PurgeReport(campaign=campaign.code, dry_run=dry_run)
    try:
        with transaction.atomic():
            # One purge at a time per campaign; the retention is read from the locked row.
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            check_retention(campaign, now)
            _purge(campaign, by=by, now=now, report=report)
            if dry_run:
                raise _DryRun
            files = list(report.files)
            transaction.on_commit(lambda: delete_files(files))
    except _DryRun:
        pass
    return report


def check_retention(campaign: Campaign, now: datetime) -> None:
    params = campaign.params()
    allowed_from = retention.purge_allowed_from(params)
    if allowed_from is None:
        raise PurgeError(
            _(
                "Le fichier de la campagne %(code)s ne fixe aucune durée de conservation "
                "([retention] personal_data_until) : elle ne peut pas être purgée."
            )
            % {"code": campaign.code}
        )
    if not retention.may_purge(params, now):
        assert params.retention is not None
        raise PurgeError(
            _(
                "Les données de la campagne %(code)s sont conservées jusqu'au %(until)s inclus : "
                "la purge sera possible à partir du %(from)s."
            )
            % {
                "code": campaign.code,
                "until": date_format(params.retention.personal_data_until, "DATE_FORMAT"),
                "from": date_format(
                    allowed_from.astimezone(ZoneInfo(campaign.time_zone)), "DATETIME_FORMAT"
                ),
            }
        )


def _purge(campaign: Campaign, *, by: User, now: datetime, report: PurgeReport) -> None:
    dossiers = Dossier.objects.filter(campaign=campaign)
    report.statistics = statistics(campaign)
    candidate_ids = set(dossiers.values_list("candidate_id", flat=True))
    addresses = {
        email.lower()
        for email in User.objects.filter(pk__in=candidate_ids).values_list("email", flat=True)
    }
    addresses |= {
        email.lower()
        for email in Referee.objects.filter(dossier__campaign=campaign).values_list(
            "email", flat=True
        )
    }
    addresses |= {
        email.lower()
        for email in HostCompany.objects.filter(dossier__campaign=campaign).values_list(
            "tutor_email", flat=True
        )
    }

    targets: set[tuple[str, str]] = set()
    # Payments protect their dossier: they go first.
    delete_collected(Payment.objects.filter(dossier__campaign=campaign), report, targets)
    # The exams' personal data, then the dossiers (which would cascade to them anyway).
    for exams_rows in (
        ExamSlot.objects.filter(booking__dossier__campaign=campaign),
        Booking.objects.filter(dossier__campaign=campaign),
        Accommodation.objects.filter(dossier__campaign=campaign),
        Grade.objects.filter(dossier__campaign=campaign),
        AcademicDecision.objects.filter(dossier__campaign=campaign),
    ):
        delete_collected(exams_rows, report, targets)
    ExamDay.objects.filter(campaign=campaign).update(booked=0, timetable_built_at=None)
    # Calendar links name their apprentice; those staff made without a dossier too.
    delete_collected(CalendarSubscription.objects.filter(campaign=campaign), report, targets)
    delete_collected(dossiers, report, targets)

    still_candidates = set(
        Dossier.objects.filter(candidate_id__in=candidate_ids).values_list(
            "candidate_id", flat=True
        )
    )
    accounts = User.objects.filter(pk__in=candidate_ids - still_candidates).filter(
        is_staff=False, is_superuser=False, role_grants__isnull=True
    )
    account_ids = set(accounts.values_list("pk", flat=True))
    report.accounts_kept = len(candidate_ids - account_ids)
    targets |= {("accounts.user", str(pk)) for pk in account_ids}

    entries = AuditEntry.objects.about(targets) | AuditEntry.objects.filter(
        actor_id__in=account_ids
    )
    report.audit_entries_erased = entries.erase_personal_fields(erased_actor_ids=account_ids)
    report.accounts_deleted = len(account_ids)
    delete_collected(User.objects.filter(pk__in=account_ids), report, set())

    # Addresses as typed (a tutor's "Tuteur@Company.example"): compared in lower case.
    report.outbound_emails, _by_model = (
        OutboundEmail.objects.annotate(address=Lower("recipient"))
        .filter(address__in=sorted(addresses))
        .delete()
    )
    record(
        by,
        PURGED_ACTION,
        campaign,
        data={**report.counts(), "statistics": report.statistics},
        at=now,
    )


def delete_collected(
    queryset: models.QuerySet, report: PurgeReport, targets: set[tuple[str, str]]
) -> None:
    """Delete the rows and everything that cascades from them; note their files and ids."""
    using = router.db_for_write(queryset.model)
    collector = Collector(using=using, origin=queryset)
    collector.collect(queryset)
    for model, instances in collector.data.items():
        note_rows(model, [obj.pk for obj in instances], instances, report, targets)
    for fast in collector.fast_deletes:
        note_rows(fast.model, list(fast.values_list("pk", flat=True)), fast, report, targets)
    _total, per_model = collector.delete()
    report.rows.update({label.lower(): count for label, count in per_model.items() if count})


def note_rows(
    model: type[models.Model],
    pks: list,
    rows: Iterable[models.Model] | models.QuerySet,
    report: PurgeReport,
    targets: set[tuple[str, str]],
) -> None:
    label = model._meta.label_lower
    targets.update((label, str(pk)) for pk in pks)
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    for file_field in file_fields:
        names: Iterable[object] = (
            rows.values_list(file_field.attname, flat=True)
            if isinstance(rows, models.QuerySet)
            else [getattr(obj, file_field.attname) for obj in rows]
        )
        report.files += [str(name) for name in names if name]


def delete_files(names: list[str]) -> None:
    """Remove the purged rows' files from storage (after the commit: a rollback keeps them)."""
    for name in names:
        default_storage.delete(name)


def statistics(campaign: Campaign) -> dict:
    """The anonymous figures the campaign keeps after its purge."""
    dossiers = Dossier.objects.filter(campaign=campaign)

    def counted(rows: Iterable[Any], key: str) -> dict[str, int]:
        return {str(row[key] or "-"): row["n"] for row in rows}

    payments: dict[str, dict[str, str | int]] = {}
    for row in (
        Payment.objects.filter(dossier__campaign=campaign)
        .values("state")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("state")
    ):
        payments[row["state"]] = {
            "count": row["n"],
            "total": str(Decimal(row["total"] or 0).quantize(CENT)),
        }
    return {
        "dossiers_by_state": counted(
            dossiers.values("state").annotate(n=Count("pk")).order_by("state"), "state"
        ),
        "dossiers_by_status_sought": counted(
            dossiers.values("status_sought").annotate(n=Count("pk")).order_by("status_sought"),
            "status_sought",
        ),
        "choices_by_option": counted(
            FormationChoice.objects.filter(dossier__campaign=campaign)
            .values("option__code")
            .annotate(n=Count("pk"))
            .order_by("option__code"),
            "option__code",
        ),
        "payments_by_state": payments,
    }


# Where the platform's FileFields store their files (documents.models.stored_name,
# referees.models.attachment_name, preentry.models.stored_name): "<root>/<campaign id>/<random name>";
# the proofs of exam accommodation requests (exams.models.Accommodation.proof): "<root>/<year>/<name>".
# Every top folder a FileField writes to (their upload_to): each is swept at any depth, so a new
# layout (a flat folder like company-evidence/, or a year subfolder) is not skipped.
STORED_ROOTS = (
    "dossiers",
    "recommendations",
    "preentry",
    "accommodations",
    "company-evidence",
    "company-presentation",
    "bulk-exports",
)


def referenced_files() -> set[str]:
    """Every storage name a row of the database points to, through any FileField."""
    from django.apps import apps

    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                names.update(
                    str(name)
                    for name in model._default_manager.exclude(
                        **{model_field.attname: ""}
                    ).values_list(model_field.attname, flat=True)
                    if name
                )
    return names


def stored_files(folder: str) -> Iterator[str]:
    """The names of every file stored under ``folder``, at any depth; none if it is absent."""
    try:
        folders, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        yield f"{folder}/{name}"
    for subfolder in folders:
        yield from stored_files(f"{folder}/{subfolder}")


def sweep_orphan_files(*, older_than: timedelta, now: datetime) -> list[str]:
    """Delete stored files that no row points to and that are older than ``older_than``: left by
    an upload whose transaction rolled back, or by a purge whose file deletion failed after its
    commit. Younger files are spared: their row may not be committed yet. Returns the names."""
    referenced = referenced_files()
    removed: list[str] = []
    for root in STORED_ROOTS:
        for path in stored_files(root):
            if path in referenced:
                continue
            try:
                if now - default_storage.get_modified_time(path) < older_than:
                    continue
                default_storage.delete(path)
            except FileNotFoundError:
                continue
            removed.append(path)
    return removed
