"""Reads of the help with the company search (R7.3): sessions, who may use them, the lists
staff follow, and where the presentation file for companies is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.urls import reverse

from admissions.campaigns.models import Campaign
from admissions.companies.models import Exclusion, HostCompany
from admissions.companies.selectors import academically_admitted, admitted_without_company
from admissions.company_search.models import (
    PhoneAdviceRequest,
    PresentationFile,
    SessionRegistration,
    TrainingSession,
)
from admissions.dossiers.models import Dossier


def upcoming_sessions(campaign: Campaign, now: datetime) -> QuerySet[TrainingSession]:
    """The campaign's scheduled sessions that have not started, soonest first."""
    return TrainingSession.objects.filter(
        campaign=campaign, state=TrainingSession.State.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at", "pk")


def campaign_sessions(campaign: Campaign) -> QuerySet[TrainingSession]:
    """Every session of the campaign, cancelled ones included, soonest first."""
    return TrainingSession.objects.filter(campaign=campaign).order_by("starts_at", "pk")


def has_confirmed_company(dossier: Dossier) -> bool:
    return dossier.host_companies.filter(state=HostCompany.State.CONFIRMED).exists()


def registration_of(dossier: Dossier, now: datetime) -> SessionRegistration | None:
    """The candidate's registration for a scheduled session that has not started, if any (one
    at a time: a session attended, or cancelled, leaves the candidate free to register again)."""
    return (
        SessionRegistration.objects.filter(
            dossier=dossier,
            session__state=TrainingSession.State.SCHEDULED,
            session__starts_at__gt=now,
        )
        .select_related("session")
        .order_by("session__starts_at")
        .first()
    )


def phone_request_of(dossier: Dossier) -> PhoneAdviceRequest | None:
    return PhoneAdviceRequest.objects.filter(dossier=dossier).first()


def presentation_file(campaign: Campaign) -> PresentationFile | None:
    return PresentationFile.objects.filter(campaign=campaign).first()


@dataclass(frozen=True)
class PresentationLink:
    url: str
    uploaded: bool  # the platform's own file; otherwise the campaign file's external link


def presentation_link(campaign: Campaign) -> PresentationLink | None:
    """Where the presentation file for companies is: the uploaded PDF; else the first link of
    the campaign file (``texts.company_presentation_urls``); else nowhere."""
    if PresentationFile.objects.filter(campaign=campaign).exists():
        return PresentationLink(
            reverse("company_search:presentation", args=[campaign.code]), uploaded=True
        )
    texts = campaign.loaded_document().get("texts") or {}
    urls = texts.get("company_presentation_urls") or []
    return PresentationLink(str(urls[0]), uploaded=False) if urls else None


@dataclass(frozen=True)
class SessionChoice:
    session: TrainingSession
    mine: bool  # the candidate is registered for it


@dataclass(frozen=True)
class CandidateHelp:
    """What the candidate's company page shows of the help (R7.3)."""

    offered: bool  # admitted academically, no confirmed company, not excluded, before freeze
    sessions: list[SessionChoice]
    registration: SessionRegistration | None
    phone_request: PhoneAdviceRequest | None
    presentation: PresentationLink | None


def candidate_help(dossier: Dossier, campaign: Campaign, now: datetime) -> CandidateHelp:
    offered = (
        academically_admitted(dossier, now)
        and now < campaign.final_list_frozen_at
        and not has_confirmed_company(dossier)
        and not Exclusion.objects.filter(dossier=dossier).exists()
    )
    registration = registration_of(dossier, now) if offered else None
    mine = registration.session_id if registration else None
    sessions = (
        [SessionChoice(s, s.pk == mine) for s in upcoming_sessions(campaign, now)]
        if offered
        else []
    )
    return CandidateHelp(
        offered=offered,
        sessions=sessions,
        registration=registration,
        phone_request=phone_request_of(dossier) if offered else None,
        presentation=presentation_link(campaign),
    )


def registrations(sessions: QuerySet[TrainingSession]) -> QuerySet[SessionRegistration]:
    """The registrations of ``sessions`` (a staff account's reach), by session then time."""
    return (
        SessionRegistration.objects.filter(session__in=sessions)
        .select_related("session", "dossier__candidate")
        .order_by("session__starts_at", "session_id", "registered_at", "pk")
    )


def phone_requests(
    requests: QuerySet[PhoneAdviceRequest], campaign: Campaign
) -> QuerySet[PhoneAdviceRequest]:
    """The campaign's phone advice requests among ``requests``: to do first, then done."""
    return (
        requests.filter(dossier__campaign=campaign)
        .select_related("dossier__candidate", "done_by")
        .order_by("done_at", "requested_at", "pk")
    )


def invitation_counts(sessions: QuerySet[TrainingSession]) -> dict[int, int]:
    rows = sessions.annotate(n=Count("invitations")).values_list("pk", "n")
    return dict(rows)


def admitted_without_company_count(campaign: Campaign, now: datetime) -> int:
    """How many candidates the "invite" action reaches at ``now`` (before the idempotence)."""
    if now >= campaign.final_list_frozen_at:
        return 0
    return admitted_without_company(campaign, now).count()
