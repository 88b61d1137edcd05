"""The jury's grading pages (/gestion/jury/notes/, R6.3) and the committee's academic list
(/gestion/epreuves/liste-academique/, R6.4).

Thin views: parse, look the slot or campaign up through the grading selectors' scope (404
otherwise, R9.2), call one service, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock, exports
from admissions.core.access import COMMITTEE, JURY, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.summary import dossier_summary
from admissions.exams.forms_grading import AcademicListForm, GradeForm
from admissions.exams.models import ExamSlot
from admissions.exams.selectors import grading as selectors
from admissions.exams.services import grading as services


@require_access(JURY)
def jury_days(request: SignedInRequest) -> HttpResponse:
    """The days the account has candidates to grade."""
    return render(
        request,
        "exams/grading/days.html",
        {"page_title": _("Saisie des notes"), "days": selectors.jury_days(request.user)},
    )


def _day_or_404(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@require_access(JURY)
def jury_day(request: SignedInRequest, day: str) -> HttpResponse:
    """The account's candidates of one day, in timetable order, with their grades."""
    when = _day_or_404(day)
    rows = selectors.day_rows(request.user, when)
    return render(
        request,
        "exams/grading/day.html",
        {
            "page_title": _("Notes du %(day)s") % {"day": when.strftime("%d/%m/%Y")},
            "day": when,
            "rows": rows,
            "language": page_language(),
        },
    )


def _slot_or_404(request: SignedInRequest, slot_id: int) -> ExamSlot:
    slot = selectors.slot_to_grade(request.user, slot_id)
    if slot is None:
        raise Http404
    return slot


@require_access(JURY)
def grade_slot(request: SignedInRequest, slot_id: int) -> HttpResponse:
    """One candidate: the dossier's summary and approved accommodation a click away, the grade
    form (a grade, a comment, or absent; English: notes on its phases)."""
    slot = _slot_or_404(request, slot_id)
    campaign = slot.panel.day.campaign
    params = campaign.params()
    spec = selectors.exam_spec(params, slot.exam_code)
    if spec is None:
        raise Http404
    phases = selectors.exam_phases(campaign, slot.exam_code)
    existing = selectors.grade_of(slot)
    initial = None
    if existing is not None:
        initial = {
            "grade": "" if existing.grade is None else f"{existing.grade.normalize():f}",
            "absent": existing.absent,
            "comment": existing.comment,
            **{f"phase_{i}": note for i, note in enumerate(existing.phase_notes or [])},
        }
    form = GradeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        spec=spec,
        phases=phases,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_grade(
                    slot=slot,
                    by=request.user,
                    grade=form.cleaned_data["grade_value"],
                    absent=bool(form.cleaned_data["absent"]),
                    comment=form.cleaned_data["comment"],
                    phase_notes=form.cleaned_data["phase_notes"],
                    now=clock.now(),
                )
            except services.GradingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("La note de %(name)s est enregistrée.")
                    % {"name": slot.booking.dossier.full_name or slot.booking.dossier.reference},
                )
                return redirect("exams_grading:day", day=slot.panel.day.date.isoformat())
        status = 400
    dossier = slot.booking.dossier
    language = page_language()
    outcome = selectors.outcome_of(dossier, params)
    return render(
        request,
        "exams/grading/grade.html",
        {
            "page_title": _("Note — %(name)s") % {"name": dossier.full_name or dossier.reference},
            "slot": slot,
            "spec": spec,
            "exam_name": spec.name_en if language == "en" else spec.name_fr,
            "dossier": dossier,
            "summary": dossier_summary(dossier),
            "accommodation": selectors.approved_accommodation(dossier),
            "grade": existing,
            "form": form,
            "eliminated": outcome.eliminated,
            "outcome_texts": [reason.text(language) for reason in outcome.reasons],
        },
        status=status,
    )


# --- The committee's academic list -----------------------------------------------------------


def _readable_campaign(request: SignedInRequest) -> Campaign:
    campaign = campaign_or_404(request)
    if not selectors.can_read_academic(request.user, campaign):
        raise Http404
    return campaign


@require_access(COMMITTEE)
def academic_list(request: SignedInRequest) -> HttpResponse:
    """The ranking side by side, the eliminated apart with their reason, the incomplete flagged;
    the school's officer records the list by a cut-off rank or case by case (R6.4)."""
    campaign = _readable_campaign(request)
    now = clock.now()
    view = selectors.campaign_ranking(campaign)
    published = selectors.list_published(campaign, now)
    may_record = selectors.can_record_academic(request.user, campaign) and not published
    form = AcademicListForm(
        request.POST if request.method == "POST" else None,
        references=[r.candidate for r in view.ranking.ranked],
    )
    status = 200
    if request.method == "POST":
        if not may_record:
            raise Http404
        if form.is_valid():
            cutoff = (
                form.cleaned_data.get("cutoff") if form.cleaned_data["mode"] == "cutoff" else None
            )
            chosen = (
                form.cleaned_data.get("chosen") if form.cleaned_data["mode"] == "chosen" else None
            )
            try:
                services.record_academic_list(
                    campaign=campaign, by=request.user, cutoff=cutoff, chosen=chosen, now=now
                )
            except services.GradingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("La liste des admis académiques est enregistrée."))
                return redirect("exams_grading:academic_list")
        status = 400
    language = page_language()
    params = campaign.params()
    recorded = {d.dossier_id: d for d in selectors.recorded_list(campaign)}
    exams = [
        (spec.code, spec.name_en if language == "en" else spec.name_fr) for spec in params.exams
    ]

    def dossier_of(reference: str):
        return view.dossiers[reference]

    ranked = [
        {
            "entry": r,
            "dossier": dossier_of(r.candidate),
            "decision": recorded.get(dossier_of(r.candidate).pk),
        }
        for r in view.ranking.ranked
    ]
    apart = [
        {
            "entry": e,
            "dossier": dossier_of(e.candidate),
            "reasons": [reason.text(language) for reason in e.reasons],
            "decision": recorded.get(dossier_of(e.candidate).pk),
        }
        for e in (*view.ranking.eliminated, *view.ranking.incomplete)
    ]
    return render(
        request,
        "exams/grading/academic_list.html",
        {
            "page_title": _("Liste des admis académiques"),
            "campaign": campaign,
            "exams": exams,
            "ranked": ranked,
            "eliminated": [row for row in apart if row["entry"].why == "eliminated"],
            "incomplete": [row for row in apart if row["entry"].why == "incomplete"],
            "recorded": recorded,
            "admitted_count": sum(1 for d in recorded.values() if d.outcome == "admitted"),
            "published": published,
            "publication_at": params.calendar.academic_results_at,
            "form": form if may_record else None,
        },
        status=status,
    )


def _export(request: SignedInRequest, fmt: str, filename: str, rows_of) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404
    headers, rows = rows_of(_readable_campaign(request))
    return exports.export_response(fmt, filename, headers, rows)


@require_access(COMMITTEE)
def grades_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """Every grade of the campaign shown (R8.3)."""
    return _export(request, fmt, "notes", selectors.grade_export_rows)


@require_access(COMMITTEE)
def academic_list_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """The ranking with the recorded outcome, the eliminated and incomplete after it."""
    return _export(request, fmt, "liste-academique", selectors.list_export_rows)
