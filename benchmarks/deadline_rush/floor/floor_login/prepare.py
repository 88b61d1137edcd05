"""Accounts with a draft and a logged-in session for the floor-save crowd (run by run.py).

Usage (environment from run.py): python -m floor_login.prepare COUNT OUT.json
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from floor_login.models import Draft  # noqa: E402

count, out = int(sys.argv[1]), Path(sys.argv[2])
users = User.objects.bulk_create(
    User(username=f"saver{n:05d}", password="!")
    for n in range(count)  # noqa: S106 - unusable
)
Draft.objects.bulk_create(Draft(owner=user, name="Camille", address="Albi") for user in users)
store, sessions = SessionStore(), []
for user in users:
    key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    sessions.append(
        Session(
            session_key=key,
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=timezone.now() + timedelta(days=1),
        )
    )
Session.objects.bulk_create(sessions)
out.write_text(json.dumps([{"session": s.session_key} for s in sessions]))
print(f"floor-save: {count} accounts with a draft and a session")
