"""The referee's personal link (R3.5, R9.2): signed, expiring, dead once replaced.

A link is ``/recommandation/<token>/``, a token of ``core.signed_links`` (salt ``referees.link``).

Lifetime: a link works for ``LINK_MAX_AGE`` (30 days) after it was sent, and never later than
``LINK_GRACE_AFTER_CLOSE`` (7 days) after the applications window closes for this candidate
(extensions included, R1.6). A reminder sends a fresh link, so a referee who is reminded always
holds a working one while the campaign still needs the answer. The grace week covers a referee
who answers on the evening of the close; a recommendation is of no use after that.
Replacing a referee rotates their nonce: every link sent to them stops working at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from admissions.core import signed_links
from admissions.referees.models import Referee
from admissions.rules import deadlines

LINK_SALT = "referees.link"
LINK_MAX_AGE = timedelta(days=30)
LINK_GRACE_AFTER_CLOSE = timedelta(days=7)


class LinkStatus(StrEnum):
    VALID = "valid"
    RECEIVED = "received"  # already answered: a thank-you page, no second answer
    EXPIRED = "expired"
    REPLACED = "replaced"  # the candidate named someone else
    INVALID = "invalid"  # tampered, truncated, unknown


@dataclass(frozen=True)
class Link:
    status: LinkStatus
    referee: Referee | None = None  # None unless the signature is good and the nonce matches
    expires_at: datetime | None = None


def make_token(referee: Referee, *, now: datetime) -> str:
    return signed_links.make_token(LINK_SALT, referee.pk, referee.token_nonce, now=now)


def link_deadline(referee: Referee) -> datetime:
    """The instant after which no link of this referee works, however recent."""
    params = referee.dossier.campaign.params()
    window = deadlines.effective_window(params, "applications", candidate=referee.dossier.reference)
    return window.closes_at + LINK_GRACE_AFTER_CLOSE


def expires_at(referee: Referee, signed_at: datetime) -> datetime:
    return min(signed_at + LINK_MAX_AGE, link_deadline(referee))


def read_link(token: str, *, now: datetime) -> Link:
    """What a token gives access to at ``now``. Never raises on bad input."""
    read = signed_links.read_token(LINK_SALT, token)
    if read is None:
        return Link(LinkStatus.INVALID)
    pk, nonce, signed_at = read
    referee = (
        Referee.objects.select_related("dossier__campaign", "dossier__candidate")
        .filter(pk=pk)
        .first()
    )
    if referee is None:
        return Link(LinkStatus.INVALID)
    if referee.token_nonce != nonce:
        # Signed by the platform but no longer this referee's: the nonce was rotated.
        return Link(LinkStatus.REPLACED)
    if referee.state == Referee.State.RECEIVED:
        return Link(LinkStatus.RECEIVED, referee)
    if referee.state == Referee.State.REPLACED:
        return Link(LinkStatus.REPLACED)
    deadline = expires_at(referee, signed_at)
    if now >= deadline:
        return Link(LinkStatus.EXPIRED, expires_at=deadline)
    return Link(LinkStatus.VALID, referee, deadline)
