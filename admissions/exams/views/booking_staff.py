"""Staff pages of exam days, panels, bookings and accommodations under /gestion/epreuves/
(R6.1, R10.4): for the admissions officer of the campaign's school, 404 for anyone else.

Thin views: parse, look the object up through the school-scoped selectors (404 otherwise),
call one service, render.
"""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock
from admissions.core.access import SCHOOL_OFFICER, require_access
from admissions.core.exports import export_response
from admissions.core.language import localized, page_language
from admissions.core.requests import SignedInRequest
from admissions.exams.forms.booking import (
    AccommodationDecisionForm,
    AccommodationsCloseForm,
    DayForm,
    MoveForm,
    PanelForm,
    breaks_text,
)
from admissions.exams.models import Accommodation, ExamDay, ExamPanel
from admissions.exams.selectors import booking as selectors
from admissions.exams.services import booking as services
from admissions.exams.views.booking_candidate import proof_response


def managed_campaign(request: SignedInRequest) -> Campaign:
    campaign = campaign_or_404(request)
    if not selectors.manages_exams(request.user, campaign):
        raise Http404
    return campaign


def _day_or_404(request: SignedInRequest, campaign: Campaign, day_id: int) -> ExamDay:
    day = selectors.days_managed_by(request.user, campaign).filter(pk=day_id).first()
    if day is None:
        raise Http404
    return day


def _exams(campaign: Campaign) -> list[tuple[str, str]]:
    language = page_language()
    return [(exam.code, localized(exam, "name", language)) for exam in campaign.params().exams]


def _parse_breaks(raw: list) -> list[tuple[time, time]]:
    return [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in raw or []]


@require_access(SCHOOL_OFFICER)
def days(request: SignedInRequest) -> HttpResponse:
    """The campaign's exam days with their seats taken and left."""
    campaign = managed_campaign(request)
    rows = selectors.days_managed_by(request.user, campaign).prefetch_related("panels")
    return render(
        request,
        "exams/booking/days.html",
        {
            "page_title": _("Journées d'épreuves"),
            "campaign": campaign,
            "days": rows,
            "total_capacity": sum(day.capacity for day in rows),
            "total_booked": sum(day.booked for day in rows),
        },
    )


def _save_day_form(request, campaign, day: ExamDay | None) -> HttpResponse:
    initial = None
    if day is not None:
        initial = {
            "date": day.date,
            "starts_at": day.starts_at,
            "ends_at": day.ends_at,
            "capacity": day.capacity,
            "videoconference": day.videoconference,
            "breaks": breaks_text(day.breaks),
        }
    form = DayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_day(
                campaign=campaign,
                by=request.user,
                now=clock.now(),
                day=day,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                videoconference=data["videoconference"],
                breaks=data["breaks"],
            )
        except services.ExamError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La journée d'épreuves est enregistrée."))
            return redirect("exams_booking:day", day_id=saved.pk)
    context = {
        "page_title": _("Nouvelle journée d'épreuves") if day is None else _("Journée d'épreuves"),
        "campaign": campaign,
        "form": form,
        "day": day,
    }
    if day is not None:
        context["panels"] = day.panels.prefetch_related("members")
        context["bookings"] = selectors.bookings_managed_by(request.user, campaign, day=day.pk)
    return render(
        request,
        "exams/booking/day.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_access(SCHOOL_OFFICER)
def day_new(request: SignedInRequest) -> HttpResponse:
    return _save_day_form(request, managed_campaign(request), None)


@require_access(SCHOOL_OFFICER)
def day_page(request: SignedInRequest, day_id: int) -> HttpResponse:
    campaign = managed_campaign(request)
    return _save_day_form(request, campaign, _day_or_404(request, campaign, day_id))


def _save_panel_form(request, campaign, day: ExamDay, panel: ExamPanel | None) -> HttpResponse:
    jurors = list(selectors.jury_accounts(campaign))
    initial = None
    if panel is not None:
        initial = {
            "exam_code": panel.exam_code,
            "name": panel.name,
            "members": [str(pk) for pk in panel.members.values_list("pk", flat=True)],
            "available_from": panel.available_from,
            "available_until": panel.available_until,
            "breaks": breaks_text(panel.breaks),
        }
    form = PanelForm(
        request.POST or None,
        initial=initial,
        exams=_exams(campaign),
        jurors=[(user.pk, str(user)) for user in jurors],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {int(pk) for pk in data["members"]}
        try:
            services.save_panel(
                day=day,
                by=request.user,
                now=clock.now(),
                panel=panel,
                exam_code=data["exam_code"],
                name=data["name"],
                members=[user for user in jurors if user.pk in chosen],
                available_from=data["available_from"],
                available_until=data["available_until"],
                breaks=data["breaks"],
            )
        except services.ExamError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Le jury est enregistré."))
            return redirect("exams_booking:day", day_id=day.pk)
    return render(
        request,
        "exams/booking/panel.html",
        {
            "page_title": _("Jury ou examinateur"),
            "campaign": campaign,
            "day": day,
            "panel": panel,
            "form": form,
            "no_jurors": not jurors,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_access(SCHOOL_OFFICER)
def panel_new(request: SignedInRequest, day_id: int) -> HttpResponse:
    campaign = managed_campaign(request)
    return _save_panel_form(request, campaign, _day_or_404(request, campaign, day_id), None)


@require_access(SCHOOL_OFFICER)
def panel_page(request: SignedInRequest, panel_id: int) -> HttpResponse:
    campaign = managed_campaign(request)
    panel = (
        selectors.panels_managed_by(request.user, campaign)
        .select_related("day")
        .filter(pk=panel_id)
        .first()
    )
    if panel is None:
        raise Http404
    return _save_panel_form(request, campaign, panel.day, panel)


def _day_filter(request, campaign) -> int | None:
    try:
        day_id = int(request.GET.get("day", ""))
    except ValueError:
        return None
    return day_id if selectors.days_managed_by(request.user, campaign).filter(pk=day_id) else None


@require_access(SCHOOL_OFFICER)
def bookings(request: SignedInRequest) -> HttpResponse:
    """Who booked which day; filter by day; export."""
    campaign = managed_campaign(request)
    day_id = _day_filter(request, campaign)
    return render(
        request,
        "exams/booking/bookings.html",
        {
            "page_title": _("Inscriptions aux journées d'épreuves"),
            "campaign": campaign,
            "rows": selectors.bookings_managed_by(request.user, campaign, day=day_id),
            "days": selectors.days_managed_by(request.user, campaign),
            "day_id": day_id,
        },
    )


BOOKING_HEADERS = (
    "Jour / Day",
    "Dossier",
    "Nom / Last name",
    "Prénom / First name",
    "Courriel / Email",
    "Choisi le / Booked at",
    "Par / By",
    "Visioconférence / Videoconference",
)


@require_access(SCHOOL_OFFICER)
def bookings_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    campaign = managed_campaign(request)
    day_id = _day_filter(request, campaign)
    rows = (
        (
            booking.day.date,
            booking.dossier.reference,
            booking.dossier.last_name,
            booking.dossier.first_name,
            booking.dossier.candidate.email,
            booking.booked_at,
            str(booking.booked_by),
            booking.day.videoconference,
        )
        for booking in selectors.bookings_managed_by(request.user, campaign, day=day_id).iterator()
    )
    with timezone.override(campaign.time_zone):
        return export_response(fmt, f"inscriptions-epreuves-{campaign.code}", BOOKING_HEADERS, rows)


@require_access(SCHOOL_OFFICER)
def move(request: SignedInRequest, reference: str) -> HttpResponse:
    """Move a candidate's booking to another day, with a reason (R6.1)."""
    campaign = managed_campaign(request)
    booking = (
        selectors.bookings_managed_by(request.user, campaign)
        .filter(dossier__reference=reference)
        .first()
    )
    if booking is None:
        raise Http404
    others = [
        (day.pk, f"{day.date:%d/%m/%Y} ({day.seats_left})")
        for day in selectors.days_managed_by(request.user, campaign).exclude(pk=booking.day_id)
    ]
    form = MoveForm(request.POST or None, days=others)
    if request.method == "POST" and form.is_valid():
        target = _day_or_404(request, campaign, form.cleaned_data["day"])
        try:
            services.move_booking(
                booking=booking,
                to_day=target,
                reason=form.cleaned_data["reason"],
                by=request.user,
                now=clock.now(),
            )
        except services.ExamError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Le candidat est inscrit à son nouveau jour."))
            return redirect("exams_booking:day", day_id=target.pk)
    return render(
        request,
        "exams/booking/move.html",
        {
            "page_title": _("Changer le jour d'un candidat"),
            "campaign": campaign,
            "booking": booking,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_access(SCHOOL_OFFICER)
def accommodations(request: SignedInRequest) -> HttpResponse:
    """The requests (pending first by default) and until when candidates may ask."""
    campaign = managed_campaign(request)
    state = request.GET.get("state", Accommodation.State.PENDING)
    state = state if state in selectors.ACCOMMODATION_STATES else ""
    settings_row = selectors.settings_of(campaign)
    zone = campaign.zone()
    close = settings_row.accommodations_close_at
    form = AccommodationsCloseForm(
        request.POST or None,
        initial={"close_at": close.astimezone(zone).replace(tzinfo=None) if close else None},
    )
    if request.method == "POST" and form.is_valid():
        at = form.cleaned_data["close_at"]
        at = timezone.make_aware(at.replace(tzinfo=None), zone) if at else None
        try:
            services.set_accommodations_close(
                campaign=campaign, close_at=at, by=request.user, now=clock.now()
            )
        except services.ExamError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La date limite des demandes est enregistrée."))
            return redirect("exams_booking:accommodations")
    return render(
        request,
        "exams/booking/accommodations.html",
        {
            "page_title": _("Aménagements des épreuves"),
            "campaign": campaign,
            "rows": selectors.accommodations_managed_by(request.user, campaign, state=state),
            "state": state,
            "states": Accommodation.State.choices,
            "form": form,
            "close_at": close or campaign.exams_opens_at,
        },
        status=400 if request.method == "POST" else 200,
    )


def _accommodation_or_404(request, campaign, reference: str) -> Accommodation:
    row = (
        selectors.accommodations_managed_by(request.user, campaign)
        .filter(dossier__reference=reference)
        .first()
    )
    if row is None:
        raise Http404
    return row


@require_access(SCHOOL_OFFICER)
def accommodation(request: SignedInRequest, reference: str) -> HttpResponse:
    campaign = managed_campaign(request)
    row = _accommodation_or_404(request, campaign, reference)
    exams = _exams(campaign)
    form = AccommodationDecisionForm(request.POST or None, exams=exams)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_accommodation(
                accommodation=row,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                granted=form.cleaned_data["granted"],
                extra_minutes=form.extra_minutes(),
                reason=form.cleaned_data["reason"],
                now=clock.now(),
            )
        except services.ExamError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La décision est enregistrée ; le candidat est prévenu."))
            return redirect("exams_booking:accommodations")
    names = dict(exams)
    return render(
        request,
        "exams/booking/accommodation.html",
        {
            "page_title": _("Demande d'aménagement — dossier %(reference)s")
            % {"reference": row.dossier.reference},
            "campaign": campaign,
            "row": row,
            "form": form if row.state == Accommodation.State.PENDING else None,
            "extra": [(names.get(c, c), m) for c, m in (row.extra_minutes or {}).items()],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_access(SCHOOL_OFFICER)
def accommodation_proof(request: SignedInRequest, reference: str) -> HttpResponseBase:
    campaign = managed_campaign(request)
    row = _accommodation_or_404(request, campaign, reference)
    if not row.proof:
        raise Http404
    return proof_response(row)
