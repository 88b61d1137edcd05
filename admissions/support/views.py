"""The support pages (R3.9): the candidate's thread, the central service's threads, the FAQ.

Thin views: they read the request, call one service and show the result. The candidate's thread
is always the signed-in candidate's own dossier (never an identifier in the URL, R9.2); staff
reach a thread by the dossier's reference among the dossiers they check
(``dossiers_checkable_by``: their schools, every campaign), else 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from admissions.campaigns.selectors import campaign_or_404
from admissions.core import clock, exports
from admissions.core.access import CANDIDATE, CENTRAL_OFFICER, PUBLIC, require_access
from admissions.core.language import page_language
from admissions.core.requests import SignedInRequest
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import dossiers_checkable_by
from admissions.dossiers.views import desk_for, render_page
from admissions.rules import clock as rules_clock
from admissions.rules.language import in_language
from admissions.support import queries, services
from admissions.support.forms import MessageForm
from admissions.support.services import SupportError


def thread_rows(dossier: Dossier, *, by_staff: bool, language: str) -> list[dict]:
    """The thread as one side sees it; ``new`` marks the other side's messages not yet read."""
    tz = dossier.campaign.time_zone
    return [
        {
            "mine": message.from_staff == by_staff,
            "from_staff": message.from_staff,
            "body": message.body,
            "sent_at": rules_clock.format_instant(message.sent_at, tz, language),
            "sent_at_iso": message.sent_at.isoformat(),
            "new": message.from_staff != by_staff and message.read_at is None,
        }
        for message in dossier.messages.all()
    ]


def post_from_form(request: HttpRequest, form: MessageForm, *, dossier, from_staff: bool, now):
    """Post the form's message; True when recorded, else the error is on the form (text kept)."""
    if not form.is_valid():
        return False
    try:
        services.post_message(
            dossier=dossier,
            author=request.user,
            body=form.cleaned_data["body"],
            from_staff=from_staff,
            now=now,
            language=page_language(),
        )
    except SupportError as error:
        form.add_error("body", error.message)
        return False
    messages.success(request, _("Message envoyé."))
    return True


@require_access(CANDIDATE)
def candidate(request: HttpRequest) -> HttpResponse:
    """The candidate's thread with the central service; open after submission too (R3.9)."""
    desk = desk_for(request)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and post_from_form(
        request, form, dossier=desk.dossier, from_staff=False, now=desk.now
    ):
        return redirect("support:candidate")
    thread = thread_rows(desk.dossier, by_staff=False, language=desk.language)
    services.mark_read(dossier=desk.dossier, by_staff=False, now=desk.now)
    return render_page(
        request,
        desk,
        "support/candidate.html",
        "messages",
        form=form,
        thread=thread,
        page_title=_("Messages"),
    )


@require_access(CENTRAL_OFFICER)
def staff_list(request: SignedInRequest) -> HttpResponse:
    """Dossiers with a thread, those with unread candidate messages first (R3.9), of the
    schools this account checks (R9.2)."""
    language = page_language()
    rows = [
        {
            "reference": dossier.reference,
            "name": dossier.full_name or dossier.candidate.email,
            "campaign": dossier.campaign.display_name,
            "unread": dossier.unread,
            "last_message_at": rules_clock.format_instant(
                dossier.last_message_at, dossier.campaign.time_zone, language
            ),
        }
        for dossier in queries.dossiers_with_messages(request.user)
    ]
    return render(
        request,
        "support/staff_list.html",
        {"page_title": _("Messages des candidats"), "rows": rows},
    )


@require_access(CENTRAL_OFFICER)
def staff_list_export(request: SignedInRequest, fmt: str) -> HttpResponseBase:
    """The same list as a spreadsheet (R8.3), in the same order."""
    if fmt not in exports.FORMATS:
        raise Http404
    headers = [
        _("Dossier"),
        _("Candidat"),
        _("Adresse électronique"),
        _("Dernier message"),
        _("Non lus"),
    ]
    rows = (
        (
            dossier.reference,
            dossier.full_name,
            dossier.candidate.email,
            dossier.last_message_at,
            dossier.unread,
        )
        for dossier in queries.dossiers_with_messages(request.user).iterator(chunk_size=2000)
    )
    return exports.export_response(fmt, "messages-des-candidats", headers, rows)


@require_access(CENTRAL_OFFICER)
def staff_thread(request: SignedInRequest, reference: str) -> HttpResponse:
    """One dossier's thread and the reply form; reading it marks the candidate's messages read.
    A dossier of another school answers 404 (R9.2)."""
    dossier = (
        dossiers_checkable_by(request.user)
        .select_related("campaign", "candidate")
        .filter(reference=reference)
        .first()
    )
    if dossier is None:
        raise Http404
    now = clock.now()
    form = MessageForm(request.POST or None)
    if request.method == "POST" and post_from_form(
        request, form, dossier=dossier, from_staff=True, now=now
    ):
        return redirect("support:staff_thread", reference=dossier.reference)
    thread = thread_rows(dossier, by_staff=True, language=page_language())
    services.mark_read(dossier=dossier, by_staff=True, now=now)
    return render(
        request,
        "support/staff_thread.html",
        {
            "page_title": _("Messages du dossier %(reference)s") % {"reference": dossier.reference},
            "dossier": dossier,
            "candidate_name": dossier.full_name or dossier.candidate.email,
            "form": form,
            "thread": thread,
        },
    )


def faq_entries(campaign, language: str) -> list[dict]:
    """The campaign's FAQ in the page's language; French where no English text is given.
    Answers are Markdown in the file, rendered and sanitised once per revision (``answer_html``)."""
    entries = []
    for entry in campaign.faq_html():
        french = {
            "question": entry.get("question", ""),
            "answer_html": entry["answer_html"],
            "lang": "fr",
        }
        english = {
            "question": entry.get("question_en", ""),
            "answer_html": entry["answer_en_html"],
            "lang": "en",
        }
        # An entry is in English only when both its question and its answer are.
        translated = entry.get("question_en") and entry.get("answer_en")
        entries.append(in_language(language, french, english if translated else None))
    return entries


@require_access(PUBLIC)
def faq(request: HttpRequest) -> HttpResponse:
    """Help: the campaign's frequently asked questions and whom to contact (R3.9)."""
    campaign = campaign_or_404(request)
    language = page_language()
    return render(
        request,
        "support/faq.html",
        {
            "page_title": _("Aide et questions fréquentes"),
            "entries": faq_entries(campaign, language),
            "contacts": campaign.contacts(),
            "language": language,
        },
    )
