"""One bounded, headless locust run against 127.0.0.1 (run by run.py), as a library.

Scenarios:
  rush          candidates from the pool: open and save the identity page SAVES times, upload a
                1 MiB PDF CV, submit, then take the next candidate (each submits at most once);
  saves         each user keeps one candidate, opens the identity page once, then only saves it
                (POST after POST, as a candidate pressing "Enregistrer" again and again);
  floor         the floor project: GET its form once, then POST one INSERT after another;
  visits        each user keeps one candidate: open the identity page, save it, again (GET + POST);
  floor-visits  the floor project: GET its form, POST one INSERT, again;
  floor-save    the floor with a login (floor_login/): each user keeps one account, opens the
                draft's form once, then saves it POST after POST (session, account, row,
                UPDATE, audit line, redirect): the least any page save does.

Usage: python crowd.py SCENARIO HOST_URL USERS SECONDS OUT.json [POOL.json OFFSET [CV.pdf]]
Writes per-action stats, the candidates used, the dossiers submitted and the client's CPU time.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import time
import uuid
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common.locust_session import HOST, TOKEN, session_cookie  # noqa: E402

SAVES = 2  # identity page saves per candidate before the upload

scenario, host_url, users, seconds, out = sys.argv[1:6]
users, seconds = int(users), float(seconds)
POOL: list[dict] = []
CV = b""
if len(sys.argv) > 6:
    pool_file, offset = sys.argv[6], int(sys.argv[7])
    POOL = json.loads(Path(pool_file).read_text())[offset:]
    POOL.reverse()  # pop() from the end takes them in order
if len(sys.argv) > 8:
    CV = Path(sys.argv[8]).read_bytes()
used: list[str] = []
submitted: list[int] = []
attempted: list[int] = []  # submit POSTs sent, answered or still in flight at the stop
problems: list[str] = []


def multipart(token: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + CV
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def identity_form(token: str, n: int) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": token,
        "civility": "mme",
        "last_name": "Martin",
        "first_name": "Camille",
        "birth_date": "2000-05-17",
        "birth_place": "Albi",
        "nationality": "FR",
        "phone": "0563493045",
        "address": f"{n} allée des Sciences",
        "postal_code": "81000",
        "city": "Albi",
        "country": "FR",
    }


class Page:
    """GET a page, check it, return its CSRF token (None after marking a failure)."""

    @staticmethod
    def open(client, url: str, name: str, must_contain: bytes | None = None) -> str | None:
        with client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            found = TOKEN.search(response.content or b"")
            if response.status_code != 200 or found is None:
                response.failure(f"{name}: HTTP {response.status_code}, no form")
                return None
            if must_contain is not None and must_contain not in response.content:
                response.failure(f"{name}: {must_contain.decode()} missing")
                return None
            return found.group(1).decode()

    @staticmethod
    def post(client, url: str, name: str, expect: str, **kwargs) -> bool:
        with client.post(
            url, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or not location.endswith(expect):
                response.failure(f"{name}: HTTP {response.status_code} -> {location!r}")
                return False
            return True


class Candidate(FastHttpUser):
    """One candidate at a time, from the pool; a new one after each submission."""

    wait_time = constant(0)
    host = host_url

    def on_start(self) -> None:
        self.take_next()

    def take_next(self) -> None:
        if not POOL:
            problems.append("pool exhausted")
            raise StopUser
        self.candidate = POOL.pop()
        used.append(self.candidate["email"])
        self.client.cookiejar.clear()
        self.client.cookiejar.set_cookie(session_cookie(self.candidate["session"]))
        self.saves = 0

    def save_identity(self, token: str | None = None) -> None:
        token = token or Page.open(self.client, "/dossier/identite/", "page: open")
        if token:
            self.saves += 1
            Page.post(
                self.client,
                "/dossier/identite/",
                "page: save",
                "/dossier/identite/",
                data=identity_form(token, self.saves),
            )

    @task
    def step(self) -> None:
        if scenario == "visits":
            self.save_identity()
            return
        if scenario == "saves":
            if self.saves == 0:
                self.token = Page.open(self.client, "/dossier/identite/", "page: open once")
            self.save_identity(self.token)
            # The page that would show "Page enregistrée" is not opened in this loop: drop the
            # flash message's cookie, as the browser's next page would have consumed it.
            with contextlib.suppress(KeyError):
                self.client.cookiejar.clear(HOST, "/", "messages")
            return
        if self.saves < SAVES:
            self.save_identity()
            return
        token = Page.open(self.client, "/dossier/pieces/", "upload: open")
        if token:
            body, content_type = multipart(token)
            Page.post(
                self.client,
                "/dossier/pieces/cv/envoyer",
                "upload: cv 1 MiB",
                "/dossier/pieces/",
                data=body,
                headers={"Content-Type": content_type},
            )
        # The review page offers the button only when nothing blocks: the CV was accepted.
        token = Page.open(
            self.client, "/dossier/depot/", "submit: open", must_contain=b"submit-dossier"
        )
        if token:
            attempted.append(self.candidate["dossier"])
        if token and Page.post(
            self.client,
            "/dossier/depot/",
            "submit",
            "/dossier/depot/",
            data={"csrfmiddlewaretoken": token},
        ):
            submitted.append(self.candidate["dossier"])
        self.take_next()


class FloorUser(FastHttpUser):
    wait_time = constant(0)
    host = host_url
    count = 0
    token: str | None = None

    @task
    def insert(self) -> None:
        if scenario == "floor-visits" or self.token is None:
            self.token = Page.open(
                self.client,
                "/form/",
                "floor: open" if scenario == "floor-visits" else "floor: open once",
            )
        token = self.token
        if not token:
            return
        FloorUser.count += 1
        with self.client.post(
            "/form/",
            name="floor: insert",
            catch_response=True,
            data={
                "csrfmiddlewaretoken": token,
                "name": "Camille Martin",
                "address": f"{FloorUser.count} allée des Sciences",
            },
        ) as response:
            if response.status_code != 200 or b"Enregistr" not in response.content:
                response.failure(f"floor: insert HTTP {response.status_code}")


class FloorSaver(FastHttpUser):
    """floor-save: one account of the floor with a login, its draft saved POST after POST."""

    wait_time = constant(0)
    host = host_url
    token: str | None = None
    saves = 0

    def on_start(self) -> None:
        if not POOL:
            problems.append("pool exhausted")
            raise StopUser
        self.client.cookiejar.set_cookie(session_cookie(POOL.pop()["session"]))
        used.append("floor-saver")

    @task
    def save(self) -> None:
        if self.token is None:
            self.token = Page.open(self.client, "/save/", "floor: open once")
            if not self.token:
                return
        self.saves += 1
        Page.post(
            self.client,
            "/save/",
            "floor: save",
            "/save/",
            data={
                "csrfmiddlewaretoken": self.token,
                "name": "Camille Martin",
                "address": f"{self.saves} allée des Sciences",
            },
        )


def main() -> None:
    user_class = {"floor-save": FloorSaver}.get(
        scenario, FloorUser if scenario.startswith("floor") else Candidate
    )
    env = Environment(user_classes=[user_class], events=events)
    runner = env.create_local_runner()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    elapsed = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    actions = []
    for (name, _method), entry in sorted(env.stats.entries.items()):
        actions.append(
            {
                "action": name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": entry.num_requests / elapsed,
                "p50": entry.get_response_time_percentile(0.50),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
                "max": entry.max_response_time,
            }
        )
    errors = [
        {"action": e.name, "error": str(e.error), "count": e.occurrences}
        for e in env.stats.errors.values()
    ]
    Path(out).write_text(
        json.dumps(
            {
                "scenario": scenario,
                "users": users,
                "seconds": elapsed,
                "actions": actions,
                "errors": errors,
                "used": len(used),
                "submitted": submitted,
                "attempted": attempted,
                "problems": sorted(set(problems)),
                "client_cpu": (cpu_after.ru_utime + cpu_after.ru_stime)
                - (cpu_before.ru_utime + cpu_before.ru_stime),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
