"""State changes of exam days, bookings and accommodations (R6.1, R10.4).

The seat: ``ExamDay.booked`` counts the day's bookings. A booking takes a seat by one
conditional UPDATE (``booked < capacity``) inside the transaction that creates the Booking; if
no row changed, the day is full. The Booking is unique per dossier: a double submit fails on
that constraint, and the whole transaction (the seat taken with it) is rolled back. Whatever
the number of processes, the database decides who gets the last seat.
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import datetime, time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from admissions.accounts.models import User
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.committee.selectors import published_admissibility
from admissions.core.language import page_language
from admissions.documents.inspection import download_name, inspect_upload
from admissions.dossiers.models import Dossier
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel, ExamSettings
from admissions.exams.selectors.booking import (
    accommodations_open,
    jury_account_ids,
    manages_exams,
)
from admissions.rules import deadlines
from admissions.rules import exam_days as day_rules
from admissions.rules.params import Campaign as CampaignParams


class ExamError(Exception):
    """An exams action refused; ``message`` says why in the page's language; ``outcome``
    names the case for the page (``full``, ``already_booked``, ``closed``...)."""

    def __init__(self, message: str, outcome: str = "refused"):
        super().__init__(message)
        self.message = message
        self.outcome = outcome


FULL = "full"
ALREADY_BOOKED = "already_booked"
CLOSED = "closed"
NOT_ADMISSIBLE = "not_admissible"
UNKNOWN_DAY = "unknown_day"


def _reasons(problems) -> str:
    language = page_language()
    return " ".join(problem.text(language) for problem in problems)


def _breaks_json(breaks: list[tuple[time, time]]) -> list[list[str]]:
    return [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in sorted(breaks)]


# --- Exam days and panels ---------------------------------------------------------------------


def save_day(
    *,
    campaign: Campaign,
    by: User,
    now: datetime,
    day: ExamDay | None = None,
    date: date_type,
    starts_at: time,
    ends_at: time,
    capacity: int,
    videoconference: str,
    breaks: list[tuple[time, time]],
) -> ExamDay:
    """Create or change an exam day within the exams window (R6.1). The capacity never goes
    below the seats already booked: the day row is locked, so no booking slips in between.

    Side effects: audit entry ``exams.day.created`` or ``exams.day.changed``."""
    with transaction.atomic():
        if not manages_exams(by, campaign):
            raise ExamError(_("Vous ne gérez pas les épreuves de cette campagne."))
        booked = 0
        if day is not None:
            day = ExamDay.objects.select_for_update().get(pk=day.pk, campaign=campaign)
            booked = day.booked
        problems = day_rules.day_problems(
            campaign.params(),
            day=date,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            booked=booked,
        ) + day_rules.breaks_problems(breaks, starts_at, ends_at)
        if problems:
            raise ExamError(_reasons(problems))
        clash = ExamDay.objects.filter(campaign=campaign, date=date)
        if day is not None:
            clash = clash.exclude(pk=day.pk)
        if clash.exists():
            raise ExamError(_("Une journée d'épreuves existe déjà à cette date."))
        created = day is None
        day = day or ExamDay(campaign=campaign)
        day.date, day.starts_at, day.ends_at = date, starts_at, ends_at
        day.capacity = capacity
        day.videoconference = videoconference.strip()
        day.breaks = _breaks_json(breaks)
        day.save()
        record(
            by,
            "exams.day.created" if created else "exams.day.changed",
            day,
            data={"date": date.isoformat(), "capacity": capacity},
            at=now,
        )
    return day


def save_panel(
    *,
    day: ExamDay,
    by: User,
    now: datetime,
    panel: ExamPanel | None = None,
    exam_code: str,
    name: str,
    members: list[User],
    available_from: time | None,
    available_until: time | None,
    breaks: list[tuple[time, time]],
) -> ExamPanel:
    """Create or change a panel of a day: an exam of the campaign file, members among the
    school's jury accounts, hours within the day.

    Side effects: audit entry ``exams.panel.created`` or ``exams.panel.changed``."""
    campaign = day.campaign
    name = name.strip()
    with transaction.atomic():
        if not manages_exams(by, campaign):
            raise ExamError(_("Vous ne gérez pas les épreuves de cette campagne."))
        codes = [exam.code for exam in campaign.params().exams]
        if exam_code not in codes:
            raise ExamError(_("Cette épreuve n'est pas dans le fichier de la campagne."))
        if not name:
            raise ExamError(_("Donnez un nom au jury ou à l'examinateur."))
        if not members:
            raise ExamError(_("Choisissez au moins un membre."))
        allowed = jury_account_ids(campaign)
        if any(member.pk not in allowed for member in members):
            raise ExamError(_("Les membres sont choisis parmi les jurys de l'école."))
        start = available_from or day.starts_at
        end = available_until or day.ends_at
        if not day.starts_at <= start < end <= day.ends_at:
            raise ExamError(
                _("Les heures de disponibilité doivent tenir dans la journée (%(start)s–%(end)s).")
                % {"start": f"{day.starts_at:%H:%M}", "end": f"{day.ends_at:%H:%M}"}
            )
        problems = day_rules.breaks_problems(breaks, start, end)
        if problems:
            raise ExamError(_reasons(problems))
        clash = ExamPanel.objects.filter(day=day, name=name)
        if panel is not None:
            clash = clash.exclude(pk=panel.pk)
        if clash.exists():
            raise ExamError(_("Un jury porte déjà ce nom ce jour-là."))
        created = panel is None
        panel = panel or ExamPanel(day=day)
        panel.exam_code, panel.name = exam_code, name
        panel.available_from, panel.available_until = available_from, available_until
        panel.breaks = _breaks_json(breaks)
        panel.save()
        panel.members.set(members)
        record(
            by,
            "exams.panel.created" if created else "exams.panel.changed",
            day,
            data={"panel": panel.name, "exam": exam_code, "members": [m.pk for m in members]},
            at=now,
        )
    return panel


# --- The candidate's choice (R6.1) ------------------------------------------------------------


def _take_seat(day_id: int, campaign_id: int) -> bool:
    """One seat of the day, if one is left: the database decides, one row or none."""
    taken = ExamDay.objects.filter(
        pk=day_id, campaign_id=campaign_id, booked__lt=F("capacity")
    ).update(booked=F("booked") + 1)
    return taken == 1


def book_day(
    *,
    dossier: Dossier,
    day_id: int,
    by: User,
    now: datetime,
    params: CampaignParams | None = None,
) -> Booking:
    """The candidate's one choice of exam day, final (R6.1).

    Refused (``ExamError.outcome``): not admissible or results not out, window not open or
    closed, already booked (a double submit included), the day full or unknown.
    Side effects: the day's seat count; audit entry ``exams.booking.made``."""
    params = params or dossier.campaign.params()
    decision = published_admissibility(dossier, now, params)
    if decision is None or not decision.admissible:
        raise ExamError(
            _("Le choix du jour d'épreuves est réservé aux candidats admissibles."),
            NOT_ADMISSIBLE,
        )
    if Booking.objects.filter(dossier=dossier).exists():
        raise ExamError(_("Votre jour d'épreuves est déjà choisi."), ALREADY_BOOKED)
    window = deadlines.can_book_exam_day(params, now, dossier.reference)
    if not window:
        raise ExamError(_reasons(window.reasons), CLOSED)
    try:
        with transaction.atomic():
            if not _take_seat(day_id, dossier.campaign_id):
                if ExamDay.objects.filter(pk=day_id, campaign_id=dossier.campaign_id).exists():
                    raise ExamError(
                        _("Ce jour est complet : toutes ses places viennent d'être prises."),
                        FULL,
                    )
                raise ExamError(_("Ce jour n'est pas proposé."), UNKNOWN_DAY)
            # A second booking of the dossier fails here; leaving the block rolls the seat back.
            booking = Booking.objects.create(
                dossier=dossier, day_id=day_id, booked_at=now, booked_by=by
            )
            record(by, "exams.booking.made", dossier, data={"day": day_id}, at=now)
    except IntegrityError:
        raise ExamError(_("Votre jour d'épreuves est déjà choisi."), ALREADY_BOOKED) from None
    return booking


def move_booking(
    *, booking: Booking, to_day: ExamDay, reason: str, by: User, now: datetime
) -> Booking:
    """Staff move a candidate to another day, with a reason (R6.1): the target's seat is taken
    as a candidate takes one, the old day's seat is given back, the old times are deleted.

    Side effects: both days' seat counts; audit entry ``exams.booking.moved``."""
    reason = reason.strip()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("dossier__campaign")
            .get(pk=booking.pk)
        )
        campaign = booking.dossier.campaign
        if not manages_exams(by, campaign):
            raise ExamError(_("Vous ne gérez pas les épreuves de cette campagne."))
        if not reason:
            raise ExamError(_("Indiquez le motif du changement de jour."))
        if to_day.campaign_id != campaign.pk:
            raise ExamError(_("Ce jour n'est pas proposé."), UNKNOWN_DAY)
        old_day_id = booking.day_id
        if to_day.pk == old_day_id:
            raise ExamError(_("Le candidat est déjà inscrit ce jour-là."))
        # Both days locked in one order: two moves in opposite directions never deadlock.
        list(
            ExamDay.objects.select_for_update()
            .filter(pk__in=[old_day_id, to_day.pk])
            .order_by("pk")
        )
        if not _take_seat(to_day.pk, campaign.pk):
            raise ExamError(_("Ce jour est complet : choisissez-en un autre."), FULL)
        ExamDay.objects.filter(pk=old_day_id).update(booked=F("booked") - 1)
        booking.slots.all().delete()
        booking.day = to_day
        booking.save(update_fields=["day"])
        record(
            by,
            "exams.booking.moved",
            booking.dossier,
            reason=reason,
            data={"from": old_day_id, "to": to_day.pk},
            at=now,
        )
    return booking


# --- Accommodations (R10.4) -------------------------------------------------------------------


def set_accommodations_close(
    *, campaign: Campaign, close_at: datetime | None, by: User, now: datetime
) -> ExamSettings:
    """Until when candidates may ask for accommodations. Side effects: audit entry."""
    with transaction.atomic():
        if not manages_exams(by, campaign):
            raise ExamError(_("Vous ne gérez pas les épreuves de cette campagne."))
        settings_row, _created = ExamSettings.objects.select_for_update().get_or_create(
            campaign=campaign
        )
        settings_row.accommodations_close_at = close_at
        settings_row.save()
        record(
            by,
            "exams.accommodations.close_set",
            campaign,
            data={"close_at": close_at.isoformat() if close_at else None},
            at=now,
        )
    return settings_row


def request_accommodation(
    *, dossier: Dossier, needs: str, upload, by: User, now: datetime, params: CampaignParams
) -> Accommodation:
    """The candidate's request, with its proof, judged like any document (content, size).
    Taken until the staff's date; changed while pending only.

    Side effects: audit entry ``exams.accommodation.requested``; the old proof deleted."""
    needs = needs.strip()
    if not needs:
        raise ExamError(_("Décrivez les aménagements dont vous avez besoin."))
    if not accommodations_open(dossier.campaign, now):
        raise ExamError(_("Les demandes d'aménagement sont closes."), CLOSED)
    if upload is None:
        raise ExamError(_("Joignez un justificatif."))
    inspection = inspect_upload(upload, params.uploads, kind="document")
    if not inspection.ok:
        language = page_language()
        details = " ".join(reason.text(language) for reason in inspection.reasons)
        raise ExamError(f"{_('Ce fichier n’a pas été accepté.')} {details}".strip())
    upload.seek(0)
    data = upload.read(params.uploads.max_bytes + 1)
    with transaction.atomic():
        Dossier.objects.select_for_update().get(pk=dossier.pk)
        row = Accommodation.objects.filter(dossier=dossier).first()
        if row is not None and row.state != Accommodation.State.PENDING:
            raise ExamError(_("Votre demande d'aménagement a déjà reçu une réponse."))
        old_name = row.proof.name if row is not None and row.proof else None
        row = row or Accommodation(dossier=dossier)
        row.needs = needs
        row.requested_at = now
        row.proof_name = download_name(
            getattr(upload, "name", "") or "justificatif", inspection.format or ""
        )
        row.proof.save("justificatif", ContentFile(data), save=False)
        row.save()
        record(by, "exams.accommodation.requested", dossier, at=now)
        if old_name:
            storage = row.proof.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return row


def decide_accommodation(
    *,
    accommodation: Accommodation,
    by: User,
    approve: bool,
    granted: str,
    extra_minutes: dict[str, int],
    reason: str,
    now: datetime,
) -> Accommodation:
    """Approve (what is granted, extra minutes per exam) or refuse (a reason), once.

    Side effects: audit entry ``exams.accommodation.decided``; the candidate's email."""
    from admissions.exams.emails.booking import queue_accommodation_decision

    granted, reason = granted.strip(), reason.strip()
    with transaction.atomic():
        row = (
            Accommodation.objects.select_for_update()
            .select_related("dossier__campaign", "dossier__candidate")
            .get(pk=accommodation.pk)
        )
        campaign = row.dossier.campaign
        if not manages_exams(by, campaign):
            raise ExamError(_("Vous ne gérez pas les épreuves de cette campagne."))
        if row.state != Accommodation.State.PENDING:
            raise ExamError(_("Cette demande a déjà été décidée."))
        codes = {exam.code for exam in campaign.params().exams}
        if approve:
            if not granted:
                raise ExamError(_("Indiquez les aménagements accordés."))
            if any(code not in codes or minutes < 0 for code, minutes in extra_minutes.items()):
                raise ExamError(_("Le temps supplémentaire est un nombre de minutes positif."))
            row.state = Accommodation.State.APPROVED
            row.granted = granted
            row.extra_minutes = {code: m for code, m in extra_minutes.items() if m}
        else:
            if not reason:
                raise ExamError(_("Indiquez le motif du refus."))
            row.state = Accommodation.State.REFUSED
            row.refusal_reason = reason
        row.decided_by, row.decided_at = by, now
        row.save()
        record(
            by,
            "exams.accommodation.decided",
            row.dossier,
            reason=reason,
            data={"state": row.state, "extra_minutes": row.extra_minutes},
            at=now,
        )
        queue_accommodation_decision(row)
    return row
