"""The referee pages (R3.5): the candidate's page (status only) and the referee's form (a link).

Thin views: they read the request, call one service and show the result. The candidate's
dossier is always the signed-in candidate's own (never an identifier from the URL or the form,
R9.2); the referee's page opens only through a valid signed link and shows the candidate's name
and formations, nothing else of the dossier.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock
from admissions.core.access import CANDIDATE, TOKEN_LINK, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers import pages
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import dossiers_visible_to
from admissions.dossiers.views.desk import desk_for, render_page
from admissions.referees import links, selectors, services
from admissions.referees.emails import last_request
from admissions.referees.forms import CandidateActionForm, RecommendationForm, RefereeForm
from admissions.referees.models import Referee
from admissions.referees.services import RefereeError
from admissions.rules import clock as rules_clock

KIND_TEXTS = {
    Referee.Kind.ACADEMIC: (
        gettext_lazy("Recommandation académique"),
        gettext_lazy(
            "Un responsable de formation ou un professeur d'une matière majeure de votre "
            "formation actuelle ou passée."
        ),
    ),
    Referee.Kind.PROFESSIONAL: (
        gettext_lazy("Recommandation professionnelle"),
        gettext_lazy(
            "Votre responsable de stage ou, si vous êtes apprenti, votre maître d'apprentissage."
        ),
    ),
}


def own_dossier(request: SignedInRequest) -> Dossier:
    """The signed-in candidate's dossier of the current campaign, else 404 (R9.2)."""
    campaign = campaign_or_404(request)
    try:
        return (
            dossiers_visible_to(request.user)
            .select_related("campaign", "candidate")
            .get(campaign=campaign)
        )
    except Dossier.DoesNotExist:
        raise Http404 from None


def referee_rows(dossier: Dossier, forms: dict[str, RefereeForm], now, language: str) -> list:
    """What the candidate sees of each referee: who, and the status. Never the content (R3.5)."""
    tz = dossier.campaign.time_zone
    active = selectors.active_referees(dossier)
    rows = []
    for kind in Referee.Kind:
        title, hint = KIND_TEXTS[kind]
        referee = active.get(kind)
        row: dict[str, Any] = {
            "kind": kind.value,
            "title": str(title),
            "hint": str(hint),
            "referee": referee,
            "form": forms[kind.value],
            "action": "name" if referee is None else ("replace" if referee.is_awaiting else ""),
        }
        if referee is not None:
            last_email = last_request(referee) if referee.is_awaiting else None
            row.update(
                # The email's outcome as the outbox recorded it, not as it was asked (issue 10).
                email_failed=last_email is not None and last_email.is_failed,
                state=referee.state,
                state_label=referee.get_state_display(),
                requested_at=rules_clock.format_instant(referee.requested_at, tz, language),
                reminded_at=(
                    rules_clock.format_instant(referee.last_reminded_at, tz, language)
                    if referee.last_reminded_at
                    else ""
                ),
                received_at=(
                    rules_clock.format_instant(referee.received_at, tz, language)
                    if referee.received_at
                    else ""
                ),
                can_remind=referee.is_awaiting and now >= selectors.next_reminder_at(referee),
                next_reminder_at=rules_clock.format_instant(
                    selectors.next_reminder_at(referee), tz, language
                ),
            )
        rows.append(row)
    return rows


@require_access(CANDIDATE)
def candidate(request: SignedInRequest) -> HttpResponse:
    """Name, remind or replace the referees; see whether they answered (R3.5)."""
    dossier = own_dossier(request)
    now = clock.now()
    language = page_language()
    forms = {kind: RefereeForm(prefix=kind) for kind in Referee.Kind.values}
    if request.method == "POST":
        action_form = CandidateActionForm(request.POST)
        if not action_form.is_valid():
            messages.error(request, _("Cette action n'est pas possible : rien n'a été changé."))
            return redirect("referees:candidate")
        action, kind = action_form.cleaned_data["action"], action_form.cleaned_data["kind"]
        if action == "remind":
            try:
                referee = services.remind_referee(
                    dossier=dossier, kind=kind, by=request.user, now=now, language=language
                )
            except RefereeError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Relance envoyée à %(name)s.") % {"name": referee.name})
            return redirect("referees:candidate")
        form = forms[kind] = RefereeForm(request.POST, prefix=kind)
        if form.is_valid():
            service = services.name_referee if action == "name" else services.replace_referee
            try:
                referee = service(
                    dossier=dossier,
                    kind=kind,
                    by=request.user,
                    now=now,
                    language=language,
                    **form.cleaned_data,
                )
            except RefereeError as error:
                form.add_error(error.field, error.message)  # the input is kept
            else:
                messages.success(
                    request,
                    _("Une demande de recommandation a été envoyée à %(name)s (%(email)s).")
                    % {"name": referee.name, "email": referee.email},
                )
                return redirect("referees:candidate")
    bound = [form for form in forms.values() if form.is_bound]
    desk = desk_for(request)  # the dossier's frame: side menu, live panel (own_dossier: 404 before)
    return render_page(
        request,
        desk,
        "referees/candidate.html",
        pages.RECOMMENDATIONS.slug,
        page_title=pages.RECOMMENDATIONS.title,
        rows=referee_rows(desk.dossier, forms, desk.now, language),
        error_form=bound[0] if bound and bound[0].errors else None,
    )


UNUSABLE_STATUS = 410  # Gone: the link existed, or looks like one, and cannot be used


@require_access(TOKEN_LINK)
@never_cache
def recommendation(request: HttpRequest, token: str) -> HttpResponse:
    """The referee's form, reached through their personal link; no account needed (R3.5)."""
    now = clock.now()
    language = page_language()
    link = links.read_link(token, now=now)
    if link.status == links.LinkStatus.RECEIVED and link.referee is not None:
        return received_page(request, link.referee, language)
    # A valid link always names its referee and its expiry (links.read_link).
    if link.status != links.LinkStatus.VALID or link.referee is None or link.expires_at is None:
        return render(
            request,
            "referees/link_unusable.html",
            {"page_title": _("Lien de recommandation"), "status": link.status.value},
            status=UNUSABLE_STATUS,
        )
    referee = link.referee
    dossier = referee.dossier
    uploads = dossier.campaign.params().uploads
    form = RecommendationForm(
        request.POST or None, request.FILES or None, uploads=uploads, language=language
    )
    if request.method == "POST" and form.is_valid():
        answers = {key: value for key, value in form.cleaned_data.items() if key != "attachment"}
        try:
            services.submit_recommendation(
                referee=referee,
                nonce=referee.token_nonce,
                answers=answers,
                attachment=form.cleaned_data.get("attachment"),
                now=now,
                language=language,
            )
        except RefereeError as error:
            form.add_error(error.field, error.message)  # what was typed is kept
        else:
            return redirect("referees:recommendation", token=token)
    return render(
        request,
        "referees/recommendation_form.html",
        {
            "page_title": _("Recommandation"),
            "form": form,
            "referee": referee,
            "candidate_name": dossier.full_name or _("un candidat"),
            "formations": [
                choice.option.display_name for choice in dossier.choices.select_related("option")
            ],
            "expires": rules_clock.format_deadline(
                link.expires_at, dossier.campaign.time_zone, language
            ),
            "kind_academic": referee.kind == Referee.Kind.ACADEMIC,
        },
    )


def received_page(request: HttpRequest, referee: Referee, language: str) -> HttpResponse:
    if referee.received_at is None:  # RECEIVED is always recorded with its instant (services)
        raise Http404
    return render(
        request,
        "referees/link_used.html",
        {
            "page_title": _("Recommandation reçue"),
            "received_at": rules_clock.format_instant(
                referee.received_at, referee.dossier.campaign.time_zone, language
            ),
        },
    )
