"""One bounded, headless locust run of staff reading the back office (run by run.py).

Each locust user is one central officer (a session from the pool) who opens every page of the
list, one after the other, ROUNDS times, with no think time, then stops; the run ends when
every user has stopped (or after an hour). Every page is its own action in the stats; a
request fails unless it answers 200 with the page's marker in it.

Usage: python crowd.py HOST_URL USERS ROUNDS OUT.json SESSIONS.json PAGES.json
PAGES.json: [[action, path, marker], ...]
"""

from __future__ import annotations

import json
import sys
import time
from http.cookiejar import Cookie
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

HOST = "127.0.0.1"
host_url, users, rounds, out, sessions_file, pages_file = sys.argv[1:7]
users, rounds = int(users), int(rounds)
LIMIT_SECONDS = 3600
SESSIONS: list[dict] = json.loads(Path(sessions_file).read_text())
PAGES: list[list[str]] = json.loads(Path(pages_file).read_text())


def session_cookie(key: str) -> Cookie:
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


class Officer(FastHttpUser):
    wait_time = constant(0)
    host = host_url
    step = first = 0

    def on_start(self) -> None:
        if not SESSIONS:
            raise StopUser
        self.client.cookiejar.set_cookie(session_cookie(SESSIONS.pop()["session"]))
        self.step = self.first = len(SESSIONS)  # users start on different pages

    @task
    def read(self) -> None:
        if self.step >= self.first + rounds * len(PAGES):
            raise StopUser
        name, path, marker = PAGES[self.step % len(PAGES)]
        self.step += 1
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200 or marker.encode() not in (answer.content or b""):
                answer.failure(f"{name}: HTTP {answer.status_code}")


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
    Path(out).write_text(json.dumps({"users": users, "actions": actions, "errors": errors}))


if __name__ == "__main__":
    main()
