from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import i18n

from admissions.accounts.languages import remember_language
from admissions.accounts.models import STAFF_ROLES, Role, User
from admissions.campaigns.selectors import request_campaign
from admissions.core import clock
from admissions.core.access import CANDIDATE, PUBLIC, STAFF, declared_access, require_access
from admissions.core.language import localized, page_language
from admissions.rules import deadlines

logger = logging.getLogger(__name__)


@require_access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    """The campaign at a glance: where it stands now, and every date of the notice (R1.5, R10.1)."""
    campaign = request_campaign(request)
    context: dict = {"campaign": campaign}
    if campaign is not None:
        params = campaign.params()
        now = clock.now()
        language = page_language()
        report = deadlines.campaign_phase(params, now)
        context.update(
            now=now,
            phase_label=localized(report, "label", language),
            milestones=[
                {"name": entry.name, "state": entry.state, "text": entry.text(language)}
                for entry in report.entries
            ],
            options=campaign.options_on_offer(),
            staff_links=staff_links(request),
            signup_open=deadlines.is_open(deadlines.effective_window(params, "applications"), now),
        )
    return render(request, "core/home.html", context)


# The staff pages that exist today, in the order the staff home lists them. Who sees a link is
# decided by the access rule its view declares (core/access.py), never by a second list here.
STAFF_PAGES: tuple[tuple[str, Promise], ...] = (
    ("verification:queue", gettext_lazy("Dossiers à vérifier")),
    ("verification:next", gettext_lazy("Dossier suivant à vérifier")),
    ("payments:pending", gettext_lazy("Paiements à confirmer")),
    ("support:staff_list", gettext_lazy("Messages des candidats")),
    ("statistics:funnel", gettext_lazy("Statistiques de la campagne")),
    ("committee:queue", gettext_lazy("Commission d'admissibilité")),
    ("committee:publication", gettext_lazy("Publication des résultats d'admissibilité")),
    # Phase 2 in the order the campaign meets it: days, bookings, timetables, grades, the list.
    ("exams_booking:days", gettext_lazy("Journées d'épreuves")),
    ("exams_booking:bookings", gettext_lazy("Inscriptions aux journées d'épreuves")),
    ("exams_booking:accommodations", gettext_lazy("Aménagements des épreuves")),
    ("exams_timetable:days", gettext_lazy("Emplois du temps des épreuves")),
    ("exams_timetable:jury_days", gettext_lazy("Mes journées d'épreuves (jury)")),
    ("exams_grading:days", gettext_lazy("Saisie des notes")),
    ("exams_grading:academic_list", gettext_lazy("Liste des admis académiques")),
    ("companies:staff_list", gettext_lazy("Entreprises d'accueil")),
    ("companies:final_list", gettext_lazy("Liste définitive et liste d'attente")),
    ("company_search:index", gettext_lazy("Aide à la recherche d'entreprise")),
    ("preentry:staff_list", gettext_lazy("Pièces avant l'entrée en formation")),
    ("accounts:staff_list", gettext_lazy("Comptes du personnel")),
    ("notifications:outbox", gettext_lazy("Courriels envoyés")),
    ("notifications:templates", gettext_lazy("Modèles de courriels")),
    ("admin:index", gettext_lazy("Administration de la plateforme")),
)


@dataclass(frozen=True)
class StaffLink:
    url: str
    label: str


def pages_for_role(role: str) -> list[StaffLink]:
    """The staff pages whose access rule admits ``role``."""
    links: list[StaffLink] = []
    for name, label in STAFF_PAGES:
        url = reverse(name)
        match = resolve(url)
        rule = declared_access(match.view_name, match.func)
        if rule is not None and role in rule.roles:
            links.append(StaffLink(url, str(label)))
    return links


def staff_links(request: HttpRequest) -> list[StaffLink]:
    """The staff pages this account may open, each once whatever the roles granting it."""
    user = request.user
    if not (isinstance(user, User) and user.is_staff_member):
        return []
    links: list[StaffLink] = []
    for role in sorted(user.roles() & STAFF_ROLES):
        links += [link for link in pages_for_role(role) if link not in links]
    return links


@require_access(STAFF)
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where staff land after logging in: for each role they hold, the pages it opens (R2.2).

    A role with no page yet is told so plainly, rather than meeting a 403 somewhere."""
    user = request.user
    held = [
        role
        for role in Role
        if role in STAFF_ROLES and isinstance(user, User) and role in user.roles()
    ]
    roles = [
        {"code": role.value, "label": role.label, "links": pages_for_role(role)} for role in held
    ]
    return render(
        request, "core/staff_home.html", {"roles": roles, "page_title": _("Espace gestion")}
    )


@require_access(PUBLIC)
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in account also keeps the language it chose, so that
    its emails are written in it (R8.2, accounts/languages.py)."""
    response = i18n.set_language(request)
    user = request.user
    if request.method == "POST" and isinstance(user, User):
        language = request.POST.get("language", "")
        if check_for_language(language):
            remember_language(user, language)
    return response


# --- Error pages (handler400/403/404/500 in config/urls.py, CSRF_FAILURE_VIEW) ----------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def candidate_only(request: HttpRequest) -> bool:
    """The refused URL is a candidate's page (their dossier), opened by a staff account."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    rule = declared_access(match.view_name, match.func)
    user = request.user
    return rule == CANDIDATE and isinstance(user, User) and user.is_staff_member


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"candidate_only": candidate_only(request)}
    return HttpResponseForbidden(loader.render_to_string("403.html", context, request=request))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request: no context processor, no session, no
    account, no campaign. Whatever failed (the database, most often) is not asked again."""
    context = {
        "platform_name": _("Candidature en alternance"),
        "LANGUAGE_CODE": page_language(),
    }
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", context))
    except Exception:  # the last resort must answer something
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            "<!DOCTYPE html><title>500</title><h1>Erreur du serveur / Server error</h1>",
            content_type="text/html",
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past the session, or cookies blocked."""
    return HttpResponseForbidden(
        loader.render_to_string("403_csrf.html", {"reason": reason}, request=request)
    )
