"""The email that hands out a calendar link (R8.1, R8.2): ``calendar_link``.

Sent once per subscription the company phase creates: to the apprentice admitted for good (in
their account's language) and to their company tutor (in the language of the declaration,
``HostCompany.language``: the tutor has no account, this email is their access). It carries
the private feed link, how to subscribe, and the printable PDF. A link revoked before the email
leaves is not sent (the composer returns None). The subject names the school only, never text
the candidate typed.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from admissions.alternation.calendar import year_of_study_label
from admissions.alternation.links import subscription_links
from admissions.alternation.models import CalendarSubscription
from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.core.language import localized
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import Variants
from admissions.notifications.services import queue_email


def queue_calendar_link(subscription: CalendarSubscription, *, recipient: str) -> OutboundEmail:
    """Owe ``recipient`` the email of ``subscription``: one per subscription, ever."""
    return queue_email(
        kind=OutboundEmail.Kind.CALENDAR_LINK,
        key=f"calendar-link:{subscription.pk}",
        recipient=recipient,
        language=subscription.language,
        payload={"subscription": subscription.pk},
        dossier=subscription.dossier,
    )


def compose_calendar_link(email: OutboundEmail) -> EmailMessage | None:
    subscription = (
        CalendarSubscription.objects.select_related("campaign__school", "dossier")
        .filter(pk=email.payload["subscription"])
        .first()
    )
    if subscription is None or not subscription.is_active:
        return None  # revoked (the apprentice left the list) before the email left
    return calendar_link_message(
        subscription, subscription.campaign, email.language, email.recipient
    )


def calendar_link_message(
    subscription: CalendarSubscription, campaign: Campaign, language: str, to: str
) -> EmailMessage:
    links = subscription_links(subscription, campaign)
    with translation.override(language):
        context = {
            "tutor": subscription.kind == CalendarSubscription.Kind.TUTOR,
            "apprentice": subscription.label,
            "school": campaign.school.name,
            "campaign": localized(campaign, "name", language),
            "year": year_of_study_label(subscription.year_of_study),
            "links": links,
        }
        subject = render_to_string("alternation/email/calendar_link_subject.txt", context).strip()
        body = render_to_string("alternation/email/calendar_link_body.txt", context)
    return EmailMessage(subject, body, to=[to])


def preview_calendar_link(*, campaign: Campaign, language: str) -> Variants:
    """Made-up links (the token opens nothing), for staff's previews (R8.2)."""

    def sample(kind: str) -> CalendarSubscription:
        return CalendarSubscription(
            pk=0,
            token="exemple-de-jeton",  # noqa: S106 - a made-up link that opens nothing
            campaign=campaign,
            kind=kind,
            label="Camille Exemple",
            year_of_study=1,
            language=language,
            created_at=clock.now(),
        )

    to = "camille.exemple@example.org"
    return [
        (
            gettext_lazy("Apprenti"),
            calendar_link_message(sample("apprentice"), campaign, language, to),
        ),
        (
            gettext_lazy("Tuteur en entreprise"),
            calendar_link_message(sample("tutor"), campaign, language, to),
        ),
    ]
