"""One bounded, headless locust run of staff working in the back office (run by run.py).

Each locust user is one central officer (a session from the pool) who runs every action of the
list, one after the other, ROUNDS times, with no think time, then stops; the run ends when
every user has stopped (or after an hour). Every action is its own line in the stats.

An action is a page to read (``[name, path, marker]``: it fails unless it answers 200 with the
marker in it) or one of these, each on a dossier of its own (never the same one twice):
  @dossier   read a dossier's page ("dossier view");
  @valid     open an undecided dossier ("dossier view"), declare its photo valid;
  @refuse    open one, refuse its CV (a reason, a replacement date);
  @decide    open one, refuse its pre-admissibility (a reason).
A verdict POST fails unless it answers the redirect back to the dossier page; run.py then
checks in the database that each verdict was recorded.

Usage: python crowd.py HOST_URL USERS ROUNDS OUT.json SESSIONS.json PAGES.json
PAGES.json: {"pages": [[name, path, marker] | [name, "@kind", marker], ...],
             "dossiers": [reference, ...], "verdicts": [[reference, photo_pk, cv_pk], ...]}
OUT.json also lists the verdicts sent: [[kind, reference], ...], and every request as
``timeline``: [[start (epoch seconds), action, milliseconds], ...], for run.py to tell which
slow requests met the background recount.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common.locust_session import csrf_token, session_cookie  # noqa: E402

host_url, users, rounds, out, sessions_file, pages_file = sys.argv[1:7]
users, rounds = int(users), int(rounds)
LIMIT_SECONDS = 3600
SESSIONS: list[dict] = json.loads(Path(sessions_file).read_text())
PLAN = json.loads(Path(pages_file).read_text())
PAGES: list[list[str]] = PLAN["pages"]
DOSSIERS: list[str] = PLAN["dossiers"]
VERDICTS: list[list] = PLAN["verdicts"]
DOSSIER_MARKER = b'id="dossier-state"'
REPLACE_UNTIL = "2021-04-15T12:00"  # after the bench clock (15 March 2021)
sent: list[list[str]] = []
timeline: list[list] = []


@events.request.add_listener
def on_request(name: str, response_time: float, **_kwargs) -> None:
    timeline.append([round(time.time() - response_time / 1000, 3), name, round(response_time, 1)])


class Officer(FastHttpUser):
    wait_time = constant(0)
    host = host_url
    step = first = 0

    def on_start(self) -> None:
        if not SESSIONS:
            raise StopUser
        self.client.cookiejar.set_cookie(session_cookie(SESSIONS.pop()["session"]))
        self.step = self.first = len(SESSIONS)  # users start on different pages

    def get(self, name: str, path: str, marker: bytes) -> bytes | None:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200 or marker not in (answer.content or b""):
                answer.failure(f"{name}: HTTP {answer.status_code}")
                return None
            return answer.content

    def verdict(self, name: str, kind: str) -> None:
        if not VERDICTS:
            events.request.fire(
                request_type="POST", name=name, response_time=0, response_length=0,
                exception=RuntimeError("no undecided dossier left"), context={},
            )  # fmt: skip
            return
        reference, photo, cv = VERDICTS.pop()
        page = f"/gestion/dossiers/{reference}/"
        token = csrf_token(self.get("dossier view", page, DOSSIER_MARKER))
        if token is None:
            return
        if kind == "@valid":
            path, form = f"{page}pieces/{photo}/verdict", {"verdict": "valid"}
        elif kind == "@refuse":
            path = f"{page}pieces/{cv}/verdict"
            form = {
                "verdict": "refused",
                "reason_text": "Illisible",
                "replace_until": REPLACE_UNTIL,
            }
        else:
            path = f"{page}decision"
            form = {"verdict": "refused", "reason": "Pièces essentielles manquantes"}
        form["csrfmiddlewaretoken"] = token
        sent.append([kind, reference])
        with self.client.post(
            path, data=form, name=name, catch_response=True, allow_redirects=False
        ) as answer:
            if answer.status_code != 302 or page not in answer.headers.get("Location", ""):
                answer.failure(f"{name}: HTTP {answer.status_code}")

    @task
    def act(self) -> None:
        if self.step >= self.first + rounds * len(PAGES):
            raise StopUser
        name, path, marker = PAGES[self.step % len(PAGES)]
        self.step += 1
        if path == "@dossier":
            self.get(name, f"/gestion/dossiers/{DOSSIERS.pop()}/", DOSSIER_MARKER)
        elif path.startswith("@"):
            self.verdict(name, path)
        else:
            self.get(name, path, marker.encode())


def main() -> None:
    env = Environment(user_classes=[Officer], events=events)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=users)

    def stop_when_done() -> None:
        gevent.sleep(1)
        while runner.user_count and time.monotonic() - started < LIMIT_SECONDS:
            gevent.sleep(0.2)
        runner.quit()

    gevent.spawn(stop_when_done)
    runner.greenlet.join()
    elapsed = time.monotonic() - started
    actions = [
        {
            "action": name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "max": entry.max_response_time,
        }
        for (name, _method), entry in sorted(env.stats.entries.items())
    ]
    errors = [f"{e.name}: {e.error} x{e.occurrences}" for e in env.stats.errors.values()]
    Path(out).write_text(
        json.dumps(
            {
                "users": users,
                "actions": actions,
                "errors": errors,
                "verdicts": sent,
                "timeline": timeline,
            }
        )
    )


if __name__ == "__main__":
    main()
