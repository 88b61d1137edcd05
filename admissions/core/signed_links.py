"""Personal signed links (referees R3.5, company contacts R7.1): signed, stamped, expiring.

A token is a payload (``"<pk>:<nonce>"``) signed with ``django.core.signing`` under a salt of its
own per kind of link, and stamped with the instant it was made, read from the platform's clock
(R1.5) so that simulated campaigns get working links. Each app decides how long its links live
and what makes one dead (a rotated nonce, an answer already given).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core import signing


class ClockSigner(signing.TimestampSigner):
    """A TimestampSigner whose stamp comes from the platform's clock, not from time.time()."""

    def __init__(self, salt: str, at: datetime | None = None):
        super().__init__(salt=salt)
        self._at = at

    def timestamp(self) -> str:
        if self._at is None:  # a signer made without an instant only reads links
            raise ValueError("signing a link needs the platform's clock instant")
        return signing.b62_encode(int(self._at.timestamp()))

    def unsign_stamped(self, token: str) -> tuple[str, datetime]:
        value = signing.Signer.unsign(self, token)  # checks the signature only
        payload, stamp = value.rsplit(self.sep, 1)
        return payload, datetime.fromtimestamp(signing.b62_decode(stamp), tz=UTC)


def make_token(salt: str, pk: int, nonce: str, *, now: datetime) -> str:
    """The token of the object ``pk`` whose current nonce is ``nonce``, stamped ``now``."""
    return ClockSigner(salt, now).sign(f"{pk}:{nonce}")


def read_token(salt: str, token: str) -> tuple[int, str, datetime] | None:
    """(pk, nonce, signed at) of a token signed under ``salt``; None if tampered or malformed.
    Never raises on bad input."""
    try:
        payload, signed_at = ClockSigner(salt).unsign_stamped(token)
        pk_text, nonce = payload.split(":", 1)
        return int(pk_text), nonce, signed_at
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        return None
