"""The email outbox for staff (R8.2): the list, one email, "send again", template previews."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.campaigns.selectors import request_campaign
from admissions.core.access import OUTBOX, require_access
from admissions.core.requests import SignedInRequest
from admissions.notifications import selectors, services
from admissions.notifications.filters import OutboxFilter
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import LANGUAGES, preview
from admissions.rules.delivery import MAX_ATTEMPTS, RETRY_DELAYS_MINUTES

PAGE_SIZE = 50


@require_access(OUTBOX)
def outbox(request: SignedInRequest) -> HttpResponse:
    """Every email the account may read, newest first, filtered and paged."""
    emails = OutboxFilter(request.GET, queryset=selectors.emails_visible_to(request.user))
    rows = emails.qs if emails.is_valid() else OutboundEmail.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/outbox.html",
        {
            "page_title": _("Courriels envoyés"),
            "filter": emails,
            "page": page,
            "query": query.urlencode(),
        },
    )


@require_access(OUTBOX)
def email_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One email: its recipient, template, language, attempts, the text as sent."""
    email = selectors.visible_email(request.user, pk)
    if email is None:
        raise Http404
    retrying = email.state == OutboundEmail.State.QUEUED and email.attempts > 0
    return render(
        request,
        "notifications/email_detail.html",
        {
            "page_title": _("Courriel n° %(number)s") % {"number": email.pk},
            "email": email,
            "retrying": retrying,
            "max_attempts": MAX_ATTEMPTS,
            "retry_delays": RETRY_DELAYS_MINUTES,
        },
    )


@require_access(OUTBOX)
@require_POST
def send_again(request: SignedInRequest, pk: int) -> HttpResponse:
    email = selectors.visible_email(request.user, pk)
    if email is None:
        raise Http404
    try:
        services.send_email_again(email=email, by=request.user)
    except services.OutboxError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le courriel est remis en file : il part dans un instant."))
    return redirect("notifications:detail", pk=email.pk)


@require_access(OUTBOX)
def templates(request: SignedInRequest) -> HttpResponse:
    """Every kind of email the platform sends, each with a link to its preview."""
    kinds = [{"code": kind.value, "label": kind.label} for kind in OutboundEmail.Kind]
    kinds = [kind for kind in kinds if kind["code"] in services.PREVIEWS]
    return render(
        request,
        "notifications/templates.html",
        {"page_title": _("Modèles de courriels"), "kinds": kinds},
    )


@require_access(OUTBOX)
def template_preview(request: SignedInRequest, kind: str) -> HttpResponse:
    """One kind in French and in English, rendered from made-up data (previews.py)."""
    if kind not in services.PREVIEWS:
        raise Http404
    campaign = request_campaign(request)
    if campaign is None:
        raise Http404
    return render(
        request,
        "notifications/template_preview.html",
        {
            "page_title": _("Modèle : %(kind)s") % {"kind": OutboundEmail.Kind(kind).label},
            "previews": [
                {"language": language, "variants": preview(kind, language, campaign=campaign)}
                for language in LANGUAGES
            ],
        },
    )
