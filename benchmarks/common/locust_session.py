"""What the benchmarks' locust crowds share: a logged-in user is a session cookie written
straight into the session table by the preparation, and forms carry Django's CSRF token.

The crowd scripts run as ``python benchmarks/<name>/crowd.py``; they put ``benchmarks/`` on
``sys.path`` and import ``common.locust_session``.
"""

from __future__ import annotations

import re
from http.cookiejar import Cookie

HOST = "127.0.0.1"  # the only host the benchmarks ever contact
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def session_cookie(key: str) -> Cookie:
    """Django's ``sessionid`` cookie for HOST, as a browser would hold it."""
    return Cookie(
        0,
        "sessionid",
        key,
        None,
        False,
        HOST,
        True,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )


def csrf_token(content: bytes | None) -> str | None:
    """The CSRF token of the first form in a page, or None."""
    found = TOKEN.search(content or b"")
    return found.group(1).decode() if found else None
