"""The company contact's personal link (R7.1): signed, expiring, dead once the declaration ends.

A link is ``/entreprise/<token>/``, a token of ``core.signed_links`` (salt ``companies.link``).
It works for ``LINK_MAX_AGE`` after it was sent and never from the final list's freeze instant
on (nothing after it admits anyone, R7.2). Once the company answered, the link shows the answer
recorded; a cancelled declaration rotates the nonce, so its link stops working at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from admissions.companies.models import HostCompany
from admissions.core import signed_links

LINK_SALT = "companies.link"
LINK_MAX_AGE = timedelta(days=30)


class LinkStatus(StrEnum):
    VALID = "valid"
    ANSWERED = "answered"  # confirmed or declined already: the answer is shown, nothing twice
    EXPIRED = "expired"
    FROZEN = "frozen"  # the final list is frozen: no confirmation admits anyone any more
    CANCELLED = "cancelled"  # the candidate withdrew the declaration
    INVALID = "invalid"  # tampered, truncated, unknown


@dataclass(frozen=True)
class Link:
    status: LinkStatus
    company: HostCompany | None = None  # set for VALID and ANSWERED only
    expires_at: datetime | None = None


def make_token(company: HostCompany, *, now: datetime) -> str:
    return signed_links.make_token(LINK_SALT, company.pk, company.token_nonce, now=now)


def expires_at(company: HostCompany, signed_at: datetime) -> datetime:
    return min(signed_at + LINK_MAX_AGE, company.dossier.campaign.final_list_frozen_at)


def read_link(token: str, *, now: datetime) -> Link:
    """What a token gives access to at ``now``. Never raises on bad input."""
    read = signed_links.read_token(LINK_SALT, token)
    if read is None:
        return Link(LinkStatus.INVALID)
    pk, nonce, signed_at = read
    company = (
        HostCompany.objects.select_related("dossier__campaign__school", "dossier__candidate")
        .filter(pk=pk)
        .first()
    )
    if company is None:
        return Link(LinkStatus.INVALID)
    if company.token_nonce != nonce or company.state == HostCompany.State.CANCELLED:
        return Link(LinkStatus.CANCELLED)
    if company.state != HostCompany.State.AWAITING:
        return Link(LinkStatus.ANSWERED, company)
    if now >= company.dossier.campaign.final_list_frozen_at:
        return Link(LinkStatus.FROZEN)
    deadline = expires_at(company, signed_at)
    if now >= deadline:
        return Link(LinkStatus.EXPIRED, expires_at=deadline)
    return Link(LinkStatus.VALID, company, deadline)
