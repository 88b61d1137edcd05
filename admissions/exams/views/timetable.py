"""The exam timetables' pages (R6.2): staff build and adjust each day's timetable and send the
convocations (/gestion/epreuves/emplois-du-temps/); a candidate reads their convocation
(/dossier/epreuves/convocation/); a jury member or examiner reads their own day's list and
downloads it as PDF or ICS (/gestion/jury/).

Thin views: days are looked up through the school-scoped selectors (404 otherwise, R9.2), a
jury member's only through the panels they sit on.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.core import clock, exports
from admissions.core.access import CANDIDATE, JURY, SCHOOL_OFFICER, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.views import desk_for, render_page
from admissions.exams.calendar_timetable import CONTENT_TYPE, convocation_ics, jury_day_ics
from admissions.exams.emails_timetable import slot_lines
from admissions.exams.forms_timetable import AdjustSlotForm
from admissions.exams.models import ExamDay, ExamPanel, ExamSlot
from admissions.exams.selectors import timetable as selectors
from admissions.exams.services import timetable as services


def _managed_day(request: SignedInRequest, day_id: int) -> ExamDay:
    day = selectors.managed_day(request.user, day_id)
    if day is None:
        raise Http404
    return day


@require_access(SCHOOL_OFFICER)
def days(request: SignedInRequest) -> HttpResponse:
    """The exam days of the officer's schools, with where each timetable stands."""
    rows = selectors.days_managed_by(request.user).select_related("campaign__school")
    return render(
        request,
        "exams/timetable/days.html",
        {"page_title": _("Emplois du temps des épreuves"), "days": rows.order_by("date")},
    )


def _day_context(request: SignedInRequest, day: ExamDay, **extra) -> dict:
    timetable = selectors.timetable_of(day)
    panels = ExamPanel.objects.filter(day=day).order_by("name")
    zone = day.campaign.zone()
    forms = {
        slot.pk: AdjustSlotForm(
            prefix=f"slot{slot.pk}",
            panels=panels.filter(exam_code=slot.exam_code),
            initial=AdjustSlotForm.initial_for(slot, zone),
        )
        for row in timetable.by_panel
        for slot in row.slots
    }
    bound = extra.pop("bound_form", None)
    if bound is not None:
        forms[bound[0]] = bound[1]
    for row in timetable.by_panel:
        for slot in row.slots:
            slot.adjust_form = forms[slot.pk]  # type: ignore[attr-defined]
    # The exams by their names in the page's language, not their campaign-file codes.
    language = page_language()
    names = {
        spec.code: (spec.name_en if language == "en" else spec.name_fr)
        for spec in day.campaign.params().exams
    }
    for row in timetable.by_panel:
        row.panel.exam_name = names.get(row.panel.exam_code, row.panel.exam_code)  # type: ignore[attr-defined]
    for candidate in timetable.by_candidate:
        for slot in candidate.slots:
            slot.exam_name = names.get(slot.exam_code, slot.exam_code)  # type: ignore[attr-defined]
    return {
        "page_title": _("Emploi du temps du %(day)s") % {"day": _day_text(day)},
        "day": day,
        "timetable": timetable,
        "reasons": [],
        **extra,
    }


def _day_text(day: ExamDay) -> str:
    from admissions.rules.clock import format_date

    return format_date(day.date, page_language())


@require_access(SCHOOL_OFFICER)
def day_page(request: SignedInRequest, day_id: int) -> HttpResponse:
    day = _managed_day(request, day_id)
    with timezone.override(day.campaign.zone()):
        return render(request, "exams/timetable/day.html", _day_context(request, day))


def _refused(request: SignedInRequest, day: ExamDay, error: services.TimetableError, **extra):
    """The day's page again, with why (the solver's reasons in the page's language)."""
    language = page_language()
    context = _day_context(request, day, **extra)
    context["error"] = error.message
    context["reasons"] = [reason.text(language) for reason in error.reasons]
    with timezone.override(day.campaign.zone()):
        return render(request, "exams/timetable/day.html", context, status=400)


@require_access(SCHOOL_OFFICER)
@require_POST
def build(request: SignedInRequest, day_id: int) -> HttpResponse:
    day = _managed_day(request, day_id)
    try:
        built = services.build_day_timetable(day=day, by=request.user, now=clock.now())
    except services.TimetableError as error:
        return _refused(request, day, error)
    messages.success(
        request,
        _(
            "Emploi du temps établi : %(count)s candidats placés (%(kept)s créneaux ajustés à "
            "la main gardés)."
        )
        % {"count": built.candidates, "kept": built.kept},
    )
    return redirect("exams_timetable:day", day_id=day.pk)


@require_access(SCHOOL_OFFICER)
@require_POST
def adjust(request: SignedInRequest, day_id: int, slot_id: int) -> HttpResponse:
    day = _managed_day(request, day_id)
    slot = (
        ExamSlot.objects.filter(pk=slot_id, booking__day=day)
        .select_related("booking__day__campaign", "panel")
        .first()
    )
    if slot is None:
        raise Http404
    zone = day.campaign.zone()
    panels = ExamPanel.objects.filter(day=day, exam_code=slot.exam_code).order_by("name")
    form = AdjustSlotForm(request.POST, prefix=f"slot{slot.pk}", panels=panels)
    if not form.is_valid():
        error = services.TimetableError(_("Corrigez le formulaire de ce créneau."))
        return _refused(request, day, error, bound_form=(slot.pk, form))
    data = form.cleaned_data
    starts_at = timezone.make_aware(datetime.combine(day.date, data["starts_at"]), zone)
    try:
        services.adjust_slot(
            slot=slot,
            by=request.user,
            starts_at=starts_at,
            panel=data["panel"],
            was_starts_at=datetime.fromisoformat(data["was_starts_at"]),
            was_panel_id=data["was_panel"],
            now=clock.now(),
        )
    except services.TimetableError as error:
        return _refused(request, day, error, bound_form=(slot.pk, form))
    messages.success(request, _("Le créneau est déplacé."))
    return redirect("exams_timetable:day", day_id=day.pk)


@require_access(SCHOOL_OFFICER)
@require_POST
def send_convocations(request: SignedInRequest, day_id: int) -> HttpResponse:
    day = _managed_day(request, day_id)
    try:
        sent = services.send_convocations(day=day, by=request.user, now=clock.now())
    except services.TimetableError as error:
        return _refused(request, day, error)
    messages.success(
        request,
        _(
            "Convocations : %(queued)s envoyées, %(unchanged)s déjà envoyées avec ces horaires, "
            "%(unplaced)s candidats sans créneau."
        )
        % {"queued": sent.queued, "unchanged": sent.unchanged, "unplaced": sent.unplaced},
    )
    return redirect("exams_timetable:day", day_id=day.pk)


@require_access(SCHOOL_OFFICER)
def export_all(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """Every slot of the officer's schools' days (CSV or XLSX)."""
    days = selectors.days_managed_by(request.user)
    return exports.export_response(
        fmt, "emplois-du-temps", selectors.EXPORT_HEADERS, selectors.export_rows(days)
    )


@require_access(SCHOOL_OFFICER)
def export_day(request: SignedInRequest, day_id: int, fmt: str) -> HttpResponseBase:
    day = _managed_day(request, day_id)
    days = ExamDay.objects.filter(pk=day.pk)
    with timezone.override(day.campaign.zone()):
        rows = list(selectors.export_rows(days))  # a day is small: read in the day's zone
    return exports.export_response(
        fmt, f"emploi-du-temps-{day.date:%Y-%m-%d}", selectors.EXPORT_HEADERS, rows
    )


# --- The candidate ------------------------------------------------------------------------------


@require_access(CANDIDATE)
def convocation(request: SignedInRequest) -> HttpResponse:
    """The candidate's times, once convoked, with their ICS file."""
    desk = desk_for(request)
    slots = selectors.convoked_slots(desk.dossier)
    if not slots:
        raise Http404
    day = slots[0].booking.day
    return render_page(
        request,
        desk,
        "exams/timetable/convocation.html",
        "exam_days",
        page_title=_("Ma convocation aux épreuves"),
        day=day,
        slots=slot_lines(day, slots, desk.language),
    )


@require_access(CANDIDATE)
def convocation_calendar(request: SignedInRequest) -> HttpResponse:
    desk = desk_for(request)
    slots = selectors.convoked_slots(desk.dossier)
    if not slots:
        raise Http404
    day = slots[0].booking.day
    response = HttpResponse(
        convocation_ics(day, slots, language=desk.language), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="convocation.ics"'
    return response


# --- Juries and examiners -----------------------------------------------------------------------


def _jury_day(request: SignedInRequest, day_id: int) -> ExamDay:
    day = selectors.jury_day(request.user, day_id)
    if day is None:
        raise Http404
    return day


@require_access(JURY)
def jury_days(request: SignedInRequest) -> HttpResponse:
    """The days the member examines on (their own panels only)."""
    return render(
        request,
        "exams/timetable/jury_days.html",
        {
            "page_title": _("Mes journées d'épreuves"),
            "days": selectors.jury_days(request.user),
        },
    )


def _jury_context(request: SignedInRequest, day: ExamDay) -> dict:
    return {
        "page_title": _("Mes candidats du %(day)s") % {"day": _day_text(day)},
        "day": day,
        "day_text": _day_text(day),
        "lines": selectors.panel_slots_for(request.user, day),
        "panels": selectors.panels_of_member(request.user).filter(day=day).order_by("name"),
    }


@require_access(JURY)
def jury_day(request: SignedInRequest, day_id: int) -> HttpResponse:
    day = _jury_day(request, day_id)
    with timezone.override(day.campaign.zone()):
        return render(request, "exams/timetable/jury_day.html", _jury_context(request, day))


@require_access(JURY)
def jury_day_pdf(request: SignedInRequest, day_id: int) -> HttpResponse:
    from weasyprint import HTML  # slow import: only where a PDF is made

    day = _jury_day(request, day_id)
    with timezone.override(day.campaign.zone()), translation.override(page_language()):
        html = render_to_string("exams/timetable/jury_day_pdf.html", _jury_context(request, day))
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="jury-{day.date:%Y-%m-%d}.pdf"'
    return response


@require_access(JURY)
def jury_day_calendar(request: SignedInRequest, day_id: int) -> HttpResponse:
    day = _jury_day(request, day_id)
    lines = selectors.panel_slots_for(request.user, day)
    response = HttpResponse(
        jury_day_ics(day, lines, language=page_language()), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="jury-{day.date:%Y-%m-%d}.ics"'
    return response
