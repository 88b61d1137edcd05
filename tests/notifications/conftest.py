from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notifications import smtp_double


@pytest.fixture
def smtp(settings) -> Iterator[smtp_double.MailServer]:
    """The test mail server, up and empty; ``smtp.down = True`` refuses connections."""
    settings.EMAIL_BACKEND = "tests.notifications.smtp_double.EmailBackend"
    smtp_double.SERVER.__init__()
    yield smtp_double.SERVER
    smtp_double.SERVER.__init__()
