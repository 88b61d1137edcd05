"""Creating and revoking calendar subscriptions (R8.1), each with its audit entry (R9.1).

The company phase gives one to each apprentice admitted for good and one to their company
tutor (``sync_admission_calendars``, called each time the final list is recomputed), and ends
both when the apprentice leaves the final list; staff may also create others with
``manage.py calendar_subscription``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.accounts.languages import recipient_language
from admissions.alternation import emails
from admissions.alternation.models import CalendarSubscription
from admissions.alternation.permissions import can_manage_subscriptions
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
from admissions.companies.models import HostCompany
from admissions.core import clock
from admissions.dossiers.models import Dossier

LABEL_MAX = 200


class SubscriptionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def create_subscription(
    *,
    campaign: Campaign,
    kind: str,
    label: str,
    by,
    dossier: Dossier | None = None,
    year_of_study: int = 1,
    language: str = "fr",
) -> CalendarSubscription:
    """A new private feed of ``year_of_study``'s calendar, made by ``by`` (staff of the
    campaign's school); refused with a message for a kind, language or year the campaign does
    not have, an empty label or another campaign's dossier."""
    label = " ".join((label or "").split())
    if not can_manage_subscriptions(by, campaign):
        raise SubscriptionError(
            _("Seuls les gestionnaires des admissions de l'école créent des liens de calendrier.")
        )
    if kind not in CalendarSubscription.Kind.values:
        raise SubscriptionError(_("Destinataire inconnu : « %(kind)s ».") % {"kind": kind})
    if language not in CalendarSubscription.Language.values:
        raise SubscriptionError(_("Langue inconnue : « %(language)s ».") % {"language": language})
    if not label:
        raise SubscriptionError(_("Donnez un libellé (par exemple le nom de l'apprenti)."))
    if len(label) > LABEL_MAX:
        raise SubscriptionError(_("Le libellé dépasse %(max)s caractères.") % {"max": LABEL_MAX})
    years = {y.year_of_study for y in campaign.params().alternation_years}
    if year_of_study not in years:
        raise SubscriptionError(
            _("La campagne n'a pas de calendrier d'alternance pour l'année d'études %(n)s.")
            % {"n": year_of_study}
        )
    if dossier is not None and dossier.campaign_id != campaign.pk:
        raise SubscriptionError(_("Ce dossier n'appartient pas à cette campagne."))
    with transaction.atomic():
        return _create(
            campaign=campaign,
            dossier=dossier,
            kind=kind,
            label=label,
            year_of_study=year_of_study,
            language=language,
            by=by,
            now=clock.now(),
        )


def _create(
    *,
    campaign: Campaign,
    dossier: Dossier | None,
    kind: str,
    label: str,
    year_of_study: int,
    language: str,
    by,
    now: datetime,
) -> CalendarSubscription:
    subscription = CalendarSubscription.objects.create(
        campaign=campaign,
        dossier=dossier,
        kind=kind,
        label=label[:LABEL_MAX],
        year_of_study=year_of_study,
        language=language,
        created_at=now,
        created_by=by,
    )
    record(
        by,
        "alternation.subscription.created",
        subscription,
        data={"kind": kind, "year_of_study": year_of_study, "campaign": campaign.code},
        at=now,
    )
    return subscription


def revoke_subscription(subscription: CalendarSubscription, *, by) -> CalendarSubscription:
    """End a feed link for good: its token answers 404 from now on. Revoking twice is a no-op."""
    if not can_manage_subscriptions(by, subscription.campaign):
        raise SubscriptionError(
            _(
                "Seuls les gestionnaires des admissions de l'école révoquent des liens de calendrier."
            )
        )
    with transaction.atomic():
        locked = CalendarSubscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.revoked_at is not None:
            return locked
        _revoke(locked, by=by, now=clock.now())
    return locked


def _revoke(subscription: CalendarSubscription, *, by, now: datetime, reason: str = "") -> None:
    subscription.revoked_at = now
    subscription.revoked_by = by
    subscription.save(update_fields=["revoked_at", "revoked_by"])
    record(by, "alternation.subscription.revoked", subscription, reason=reason, at=now)


# --- The calendars of the apprentices admitted for good and their tutors (R8.1) -------------

# The year of study an apprentice admitted by this campaign starts in.
FIRST_YEAR = 1
ADMISSION_KINDS = (CalendarSubscription.Kind.APPRENTICE, CalendarSubscription.Kind.TUTOR)
LEFT_THE_LIST = "left_the_final_list"


@dataclass(frozen=True)
class CalendarSync:
    created: list[CalendarSubscription]
    revoked: list[CalendarSubscription]


def sync_admission_calendars(
    campaign: Campaign, admitted: Iterable[Dossier], *, now: datetime
) -> CalendarSync:
    """Give each dossier of ``admitted`` (the final list's admitted candidates, the whole list)
    an active calendar link for the apprentice and one for their company tutor, each emailed
    once (its own email, in its reader's language); revoke the links it gave to the
    campaign's dossiers no longer admitted (withdrawn, excluded for fraud, moved to the waiting
    list). A link staff made by hand for a dossier (``calendar_subscription create --dossier``)
    counts as given, and is left to staff to revoke.

    Idempotent: a dossier that already has its active links gets nothing new, so a tutor is
    emailed again only when a new link is made (a re-admission after leaving the list: the old
    link stays dead). Called inside the transaction that recomputed the list, campaign row
    locked; created and revoked by the platform (no staff member)."""
    admitted = list(admitted)
    admitted_ids = {d.pk for d in admitted}
    active = list(
        CalendarSubscription.objects.select_for_update().filter(
            campaign=campaign,
            dossier__isnull=False,
            kind__in=ADMISSION_KINDS,
            revoked_at__isnull=True,
        )
    )
    revoked = []
    have: set[tuple[int, str]] = set()
    for subscription in active:
        assert subscription.dossier_id is not None
        if subscription.dossier_id in admitted_ids:
            have.add((subscription.dossier_id, subscription.kind))
        elif subscription.created_by_id is None:  # staff's own links are theirs to revoke
            _revoke(subscription, by=None, now=now, reason=LEFT_THE_LIST)
            revoked.append(subscription)
    missing = [d for d in admitted if any((d.pk, kind) not in have for kind in ADMISSION_KINDS)]
    created: list[CalendarSubscription] = []
    if not missing or FIRST_YEAR not in {
        y.year_of_study for y in campaign.params().alternation_years
    }:
        return CalendarSync(created, revoked)
    companies = {
        c.dossier_id: c
        for c in HostCompany.objects.filter(
            dossier__in=[d.pk for d in missing], state=HostCompany.State.CONFIRMED
        )
    }
    for dossier in missing:
        company = companies.get(dossier.pk)
        wanted = [
            (CalendarSubscription.Kind.APPRENTICE, recipient_language(dossier.candidate), ""),
        ]
        if company is not None:
            wanted.append((CalendarSubscription.Kind.TUTOR, company.language, company.tutor_email))
        for kind, language, tutor_email in wanted:
            if (dossier.pk, kind) in have:
                continue
            subscription = _create(
                campaign=campaign,
                dossier=dossier,
                kind=kind,
                label=dossier.full_name or dossier.reference,
                year_of_study=FIRST_YEAR,
                language=language if language in CalendarSubscription.Language.values else "fr",
                by=None,
                now=now,
            )
            emails.queue_calendar_link(
                subscription,
                recipient=tutor_email or dossier.candidate.email,
            )
            created.append(subscription)
    return CalendarSync(created, revoked)
