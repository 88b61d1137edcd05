"""Reads of exam days, bookings and accommodations (R6.1, R10.4).

Staff reach the days of the campaigns of their schools: a ``school_officer`` grant for the
school (or a platform administrator), never a list in code. A candidate reaches only their own
dossier's booking and accommodation, through the desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Q, QuerySet

from admissions.accounts.models import Role, RoleGrant, User
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign
from admissions.committee.selectors import published_admissibility
from admissions.dossiers.models import Dossier
from admissions.exams.models import Accommodation, Booking, ExamDay, ExamPanel, ExamSettings
from admissions.rules import deadlines
from admissions.rules import exam_days as day_rules
from admissions.rules.params import Campaign as CampaignParams

# Who defines exam days, moves bookings and decides accommodations (core.access.SCHOOL_OFFICER).
EXAM_OFFICERS = frozenset({Role.SCHOOL_OFFICER, Role.PLATFORM_ADMIN})


def manages_exams(user: User, campaign: Campaign) -> bool:
    """The school's admissions officer (or an administrator) runs the campaign's exam days."""
    return user.is_authenticated and school_scope(user, EXAM_OFFICERS).includes(campaign.school_id)


def days_managed_by(user: User, campaign: Campaign) -> QuerySet[ExamDay]:
    if not manages_exams(user, campaign):
        return ExamDay.objects.none()
    return ExamDay.objects.filter(campaign=campaign).order_by("date")


def panels_managed_by(user: User, campaign: Campaign) -> QuerySet[ExamPanel]:
    if not manages_exams(user, campaign):
        return ExamPanel.objects.none()
    return ExamPanel.objects.filter(day__campaign=campaign)


def jury_accounts(campaign: Campaign) -> QuerySet[User]:
    """The accounts that may sit on a panel: a jury_member grant for the school, or for all."""
    grants = RoleGrant.objects.filter(role=Role.JURY_MEMBER).filter(
        Q(school_id=campaign.school_id) | Q(school__isnull=True)
    )
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("email")


def jury_account_ids(campaign: Campaign) -> set[int]:
    return set(jury_accounts(campaign).values_list("pk", flat=True))


def dossiers_of_managed_campaign(user: User, campaign: Campaign) -> QuerySet[Dossier]:
    if not manages_exams(user, campaign):
        return Dossier.objects.none()
    return Dossier.objects.filter(campaign=campaign)


# --- The candidate's side ---------------------------------------------------------------------


class Stage:
    """Where a candidate stands with the exam-day choice (R6.1)."""

    NOT_ADMISSIBLE = "no_result"  # no published decision, or not admissible: one page
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    BOOKED = "booked"
    OPEN = "open"


@dataclass
class BookingDesk:
    stage: str
    booking: Booking | None = None
    days: list[ExamDay] = field(default_factory=list)  # days with seats left, when open
    reason: str = ""  # why not open, in the page's language


def booking_desk(dossier: Dossier, params: CampaignParams, now: datetime, language: str):
    """What the candidate's exam-day page shows: the stage, their booking, the open days."""
    decision = published_admissibility(dossier, now, params)
    if decision is None or not decision.admissible:
        return BookingDesk(Stage.NOT_ADMISSIBLE)
    booking = booking_of(dossier)
    if booking is not None:
        return BookingDesk(Stage.BOOKED, booking=booking)
    window = deadlines.can_book_exam_day(params, now, dossier.reference)
    if not window:
        stage = (
            Stage.NOT_YET_OPEN
            if window.reasons and window.reasons[0].code.endswith("not_yet_open")
            else Stage.CLOSED
        )
        return BookingDesk(stage, reason=" ".join(r.text(language) for r in window.reasons))
    return BookingDesk(Stage.OPEN, days=list(days_with_seats(dossier.campaign)))


def booking_of(dossier: Dossier) -> Booking | None:
    return Booking.objects.filter(dossier=dossier).select_related("day").first()


def days_with_seats(campaign: Campaign) -> QuerySet[ExamDay]:
    return ExamDay.objects.filter(campaign_id=campaign.pk, booked__lt=F("capacity")).order_by(
        "date"
    )


# --- Accommodations (R10.4) --------------------------------------------------------------------


def settings_of(campaign: Campaign) -> ExamSettings:
    """The campaign's exam settings; unsaved defaults while staff have set nothing."""
    return ExamSettings.objects.filter(campaign=campaign).first() or ExamSettings(campaign=campaign)


def accommodations_open(campaign: Campaign, now: datetime) -> bool:
    """Candidates may ask until the date staff set, else until the exams start."""
    close = settings_of(campaign).accommodations_close_at or campaign.exams_opens_at
    return day_rules.is_before(close, now)


def accommodation_of(dossier: Dossier) -> Accommodation | None:
    return Accommodation.objects.filter(dossier=dossier).first()


@dataclass(frozen=True)
class GrantedAccommodation:
    """What the timetable and the jury read: extra minutes per exam code, the granted text."""

    extra_minutes: dict[str, int]
    granted: str

    def minutes_for(self, exam_code: str) -> int:
        return self.extra_minutes.get(exam_code, 0)


NO_ACCOMMODATION = GrantedAccommodation(extra_minutes={}, granted="")


def granted_accommodation(dossier: Dossier | int) -> GrantedAccommodation:
    """The approved accommodation of a dossier; nothing for a pending or refused request."""
    dossier_id = dossier if isinstance(dossier, int) else dossier.pk
    row = Accommodation.objects.filter(
        dossier_id=dossier_id, state=Accommodation.State.APPROVED
    ).first()
    if row is None:
        return NO_ACCOMMODATION
    return GrantedAccommodation(
        extra_minutes={str(code): int(minutes) for code, minutes in row.extra_minutes.items()},
        granted=row.granted,
    )


def granted_accommodations(dossier_ids: list[int]) -> dict[int, GrantedAccommodation]:
    """The approved accommodations of several dossiers at once (a day's timetable)."""
    return {
        row.dossier_id: GrantedAccommodation(
            extra_minutes={str(c): int(m) for c, m in row.extra_minutes.items()},
            granted=row.granted,
        )
        for row in Accommodation.objects.filter(
            dossier_id__in=dossier_ids, state=Accommodation.State.APPROVED
        )
    }


ACCOMMODATION_STATES = ("", *Accommodation.State.values)


def accommodations_managed_by(
    user: User, campaign: Campaign, *, state: str = ""
) -> QuerySet[Accommodation]:
    rows = Accommodation.objects.filter(
        dossier__in=dossiers_of_managed_campaign(user, campaign)
    ).select_related("dossier", "decided_by")
    if state in Accommodation.State.values:
        rows = rows.filter(state=state)
    return rows.order_by("requested_at", "pk")


# --- Bookings list and export ------------------------------------------------------------------


def bookings_managed_by(
    user: User, campaign: Campaign, *, day: int | None = None
) -> QuerySet[Booking]:
    rows = Booking.objects.filter(day__in=days_managed_by(user, campaign)).select_related(
        "day", "dossier__candidate", "booked_by"
    )
    if day is not None:
        rows = rows.filter(day_id=day)
    return rows.order_by("day__date", "dossier__last_name", "dossier__first_name", "pk")


def booked_dossier_ids(campaign: Campaign) -> QuerySet[Booking]:
    return Booking.objects.filter(day__campaign=campaign)
