"""The committee's pages under /gestion/commission/ (R5.1) and the publication instant (R5.2).

Thin views: parse, look the dossier up through the committee's scope (404 otherwise, R9.2), call
one service, render. The score and decision block is the partial ``committee/_panel.html``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.campaigns.models import Campaign
from admissions.campaigns.selectors import campaign_or_404
from admissions.committee import selectors, services
from admissions.committee.forms import DecisionForm, PublicationForm, ScoreForm
from admissions.committee.models import AdmissibilityDecision, CommitteeScore
from admissions.committee.permissions import (
    can_decide_admissibility,
    can_score,
    can_set_publication,
    dossiers_before_committee,
)
from admissions.core import clock
from admissions.core.access import COMMITTEE, SCHOOL_OFFICER, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.documents.models import Document
from admissions.dossiers.models import Dossier
from admissions.dossiers.receipts import document_labels
from admissions.dossiers.views.documents import serve_document
from admissions.rules import deadlines


def committee_dossier_or_404(request: SignedInRequest, campaign: Campaign, reference: str):
    dossier = (
        dossiers_before_committee(request.user)
        .filter(campaign=campaign, reference=reference)
        .select_related("campaign__school", "candidate")
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@require_access(COMMITTEE)
def queue(request: SignedInRequest) -> HttpResponse:
    """The forwarded dossiers of the member's schools, filtered by "scored by me" and decision."""
    campaign = campaign_or_404(request)
    mine = request.GET.get("mine", "")
    decision = request.GET.get("decision", "")
    mine = mine if mine in selectors.MINE_CHOICES else ""
    decision = decision if decision in selectors.DECISION_CHOICES else ""
    rows = selectors.committee_queue(request.user, campaign, mine=mine, decision=decision)
    return render(
        request,
        "committee/queue.html",
        {
            "page_title": _("Commission d'admissibilité"),
            "campaign": campaign,
            "rows": rows,
            "counts": selectors.queue_counts(request.user, campaign),
            "mine": mine,
            "decision": decision,
            "next_dossier": selectors.next_to_score(request.user, campaign),
            "published": deadlines.is_published(
                campaign.params(), selectors.ADMISSIBILITY, clock.now()
            ),
        },
    )


def panel_context(request: SignedInRequest, dossier: Dossier, **forms) -> dict:
    """What ``committee/_panel.html`` shows: the scores side by side, the decision, the forms
    this account may use (none once the decision is recorded)."""
    user = request.user
    params = dossier.campaign.params()
    decision = (
        AdmissibilityDecision.objects.filter(dossier=dossier).select_related("decided_by").first()
    )
    published = deadlines.is_published(params, selectors.ADMISSIBILITY, clock.now())
    score_form = forms.get("score_form")
    if score_form is None and decision is None and not published and can_score(user, dossier):
        mine = CommitteeScore.objects.filter(dossier=dossier, member=user).first()
        score_form = ScoreForm(
            initial={"score": mine.score, "comment": mine.comment} if mine else None,
            score_max=params.committee.score_max,
        )
    decision_form = forms.get("decision_form")
    if (
        decision_form is None
        and decision is None
        and not published
        and can_decide_admissibility(user, dossier)
    ):
        decision_form = DecisionForm()
    return {
        "dossier": dossier,
        "scores": selectors.scores_side_by_side(dossier, user),
        "score_max": params.committee.score_max,
        "decision": decision,
        "published": published,
        "score_form": score_form if decision is None and not published else None,
        "decision_form": decision_form if decision is None and not published else None,
    }


def render_dossier(request: SignedInRequest, dossier: Dossier, status: int = 200, **forms):
    # The check's dossier page includes the committee's panel: imported here, not at the top.
    from admissions.verification.views.dossier import audit_rows

    campaign = dossier.campaign
    language = page_language()
    labels = document_labels(dossier, language)
    documents = [
        {"code": document.code, "label": labels.get(document.code, document.code)}
        for document in Document.objects.filter(dossier=dossier).order_by("code")
    ]
    next_dossier = selectors.next_to_score(request.user, campaign, after=dossier)
    context = {
        **panel_context(request, dossier, **forms),
        "page_title": _("Commission — dossier %(reference)s") % {"reference": dossier.reference},
        "documents": documents,
        "choices": dossier.choices.select_related("option__programme"),
        "recommendations": selectors.recommendations_of(dossier),
        "history": audit_rows(dossier, labels),
        "next_dossier": next_dossier,
    }
    return render(request, "committee/dossier.html", context, status=status)


@require_access(COMMITTEE)
def dossier_page(request: SignedInRequest, reference: str) -> HttpResponse:
    campaign = campaign_or_404(request)
    dossier = committee_dossier_or_404(request, campaign, reference)
    return render_dossier(request, dossier)


@require_access(COMMITTEE)
@require_POST
def score(request: SignedInRequest, reference: str) -> HttpResponse:
    campaign = campaign_or_404(request)
    dossier = committee_dossier_or_404(request, campaign, reference)
    form = ScoreForm(request.POST, score_max=campaign.params().committee.score_max)
    if form.is_valid():
        try:
            services.record_score(
                dossier=dossier,
                member=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                now=clock.now(),
            )
        except services.CommitteeError as error:
            # Decided meanwhile (a stale form) or nothing given: said plainly, nothing written.
            messages.error(request, error.message)
            return redirect("committee:dossier", reference=dossier.reference)
        else:
            messages.success(request, _("Votre avis est enregistré."))
            following = selectors.next_to_score(request.user, campaign)
            if "next" in request.POST and following is not None:
                return redirect("committee:dossier", reference=following.reference)
            return redirect("committee:dossier", reference=dossier.reference)
    return render_dossier(request, dossier, status=400, score_form=form)


@require_access(COMMITTEE)
@require_POST
def decide(request: SignedInRequest, reference: str) -> HttpResponse:
    campaign = campaign_or_404(request)
    dossier = committee_dossier_or_404(request, campaign, reference)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_admissibility(
                dossier=dossier,
                by=request.user,
                admissible=form.cleaned_data["admissible"],
                comment=form.cleaned_data["comment"],
                now=clock.now(),
            )
        except services.CommitteeError as error:
            # A stale form (decided meanwhile, results published): said plainly, nothing written.
            messages.error(request, error.message)
            return redirect("committee:dossier", reference=dossier.reference)
        messages.success(request, _("La décision de la commission est enregistrée."))
        return redirect("committee:dossier", reference=dossier.reference)
    return render_dossier(request, dossier, status=400, decision_form=form)


@require_access(COMMITTEE)
def document_file(request: SignedInRequest, reference: str, code: str) -> FileResponse:
    """A document of a dossier before the committee, as the candidate sent it."""
    campaign = campaign_or_404(request)
    dossier = committee_dossier_or_404(request, campaign, reference)
    document = Document.objects.filter(dossier=dossier, code=code).first()
    if document is None:
        raise Http404
    return serve_document(document)


@require_access(SCHOOL_OFFICER)  # the same roles as permissions.PUBLISHERS
def publication(request: SignedInRequest) -> HttpResponse:
    """When the admissibility results go out (R5.2): the campaign's instant, moved by staff."""
    campaign = campaign_or_404(request)
    if not can_set_publication(request.user, campaign):
        raise Http404
    now = clock.now()
    zone = campaign.zone()
    form = PublicationForm(
        request.POST or None,
        initial={"at": campaign.admissibility_results_at.astimezone(zone).replace(tzinfo=None)},
    )
    if request.method == "POST" and form.is_valid():
        at = form.cleaned_data["at"]
        at = timezone.make_aware(at.replace(tzinfo=None), zone)
        try:
            services.set_publication_instant(
                campaign=campaign,
                at=at,
                reason=form.cleaned_data["reason"],
                by=request.user,
                now=now,
            )
        except services.CommitteeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La date de publication est enregistrée."))
            return redirect("committee:publication")
    params = campaign.params()
    decisions = AdmissibilityDecision.objects.filter(dossier__campaign=campaign)
    return render(
        request,
        "committee/publication.html",
        {
            "page_title": _("Publication des résultats d'admissibilité"),
            "campaign": campaign,
            "form": form,
            "published": deadlines.is_published(params, selectors.ADMISSIBILITY, now),
            "at": params.calendar.admissibility_results_at,
            "decided": decisions.count(),
            "sent": decisions.filter(published_at__isnull=False).count(),
        },
        status=400 if request.method == "POST" else 200,
    )
