"""Creating and revoking calendar subscriptions (R8.1), each with its audit entry (R9.1).

The company phase creates one for each admitted apprentice and their tutor; until then staff
create them with ``manage.py calendar_subscription``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.alternation.models import CalendarSubscription
from admissions.alternation.permissions import can_manage_subscriptions
from admissions.audit.services import record
from admissions.campaigns.models import Campaign
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
        subscription = CalendarSubscription.objects.create(
            campaign=campaign,
            dossier=dossier,
            kind=kind,
            label=label,
            year_of_study=year_of_study,
            language=language,
            created_at=clock.now(),
            created_by=by,
        )
        record(
            by,
            "alternation.subscription.created",
            subscription,
            data={"kind": kind, "year_of_study": year_of_study, "campaign": campaign.code},
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
        locked.revoked_at = clock.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(by, "alternation.subscription.revoked", locked)
    return locked
