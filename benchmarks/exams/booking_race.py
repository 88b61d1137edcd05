"""The exam-day booking race (R6.1): see README.md. `make bench-exams-booking`.

A fresh PostgreSQL database; 500 admissible candidates (results published, logged-in sessions
written straight into the session table) and one exam day of 300 seats; gunicorn with 2 worker
processes on 127.0.0.1; the 500 choosers confirm the same day at once (a barrier releases their
POSTs together). Prints the bookings made (must be exactly the seats), errors (must be 0), the
losers told the day is full (must be every one), and the POST latency p50/p99.
Exit status 0 when all hold, 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess  # noqa: S404 - the benchmark starts its own server
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "back_office"))

from run import Server, run  # noqa: E402  (the back office bench's helpers)

CLOCK_AT = "2021-03-25T10:00:00+01:00"  # results out, booking open
DATABASE = "admissions_bench_exams"  # this bench's own database, dropped and recreated
CAMPAIGN_FILE = ROOT / "admissions" / "campaigns" / "reference" / "imt-mines-albi-2021.toml"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--choosers", type=int, default=500)
    parser.add_argument("--seats", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # internal: OUT.json
    return parser.parse_args()


def prepare(choosers: int, seats: int, out: Path) -> None:
    """Inside the bench's environment: the candidates, their sessions, the day."""
    import django

    django.setup()
    from datetime import date, datetime, timedelta
    from datetime import time as clock_time

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from admissions.accounts.models import Role, RoleGrant, User
    from admissions.campaigns.models import Campaign
    from admissions.committee.models import AdmissibilityDecision
    from admissions.dossiers.models import Dossier
    from admissions.exams.models import ExamDay
    from admissions.verification.models import DossierCheck

    campaign = Campaign.objects.get()
    at = datetime.fromisoformat("2021-03-05T10:00:00+01:00")
    officer = User.objects.create_user("officer@bench.example", "a-long-password-1")
    RoleGrant.objects.create(user=officer, role=Role.SCHOOL_OFFICER, school=campaign.school)
    users = User.objects.bulk_create(
        User(email=f"chooser{n}@bench.example", password="!") for n in range(choosers)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            campaign=campaign,
            candidate=user,
            reference=f"BKR-{n:06d}",
            first_name="Camille",
            last_name=f"Choix{n}",
            state=Dossier.State.SUBMITTED,
            submitted_at=at,
            created_at=at,
            updated_at=at,
        )
        for n, user in enumerate(users)
    )
    DossierCheck.objects.bulk_create(
        DossierCheck(dossier=d, verdict="recevable", decided_by=officer, decided_at=at)
        for d in dossiers
    )
    AdmissibilityDecision.objects.bulk_create(
        AdmissibilityDecision(dossier=d, admissible=True, decided_by=officer, decided_at=at)
        for d in dossiers
    )
    day = ExamDay.objects.create(
        campaign=campaign,
        date=date(2021, 3, 30),
        starts_at=clock_time(8),
        ends_at=clock_time(18),
        capacity=seats,
    )
    store = SessionStore()
    expire = timezone.now() + timedelta(days=1)
    sessions = Session.objects.bulk_create(
        Session(
            session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
            session_data=store.encode(
                {
                    SESSION_KEY: str(u.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: u.get_session_auth_hash(),
                }
            ),
            expire_date=expire,
        )
        for u in users
    )
    out.write_text(json.dumps({"day": day.pk, "sessions": [s.session_key for s in sessions]}))


def count(env: dict[str, str], day: int) -> tuple[int, int]:
    code = (
        "import django;django.setup();from admissions.exams.models import Booking,ExamDay;"
        f"print(Booking.objects.count(), ExamDay.objects.get(pk={day}).booked)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    bookings, booked = result.stdout.split()
    return int(bookings), int(booked)


def chooser(port: int, session: str, day: int, start: threading.Barrier, results: list) -> None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        cookie = f"sessionid={session}"
        connection.request("GET", "/dossier/epreuves/jour/", headers={"Cookie": cookie})
        page = connection.getresponse()
        body = page.read()
        csrf = next(
            v.split(";")[0].split("=", 1)[1]
            for k, v in page.getheaders()
            if k.lower() == "set-cookie" and v.startswith("csrftoken=")
        )
        token = TOKEN.search(body).group(1).decode()
        form = urlencode({"csrfmiddlewaretoken": token, "day": day, "confirm": "1"})
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/dossier/epreuves/jour/",
        }
        start.wait()
        began = time.perf_counter()
        connection.request("POST", "/dossier/epreuves/jour/", body=form, headers=headers)
        answer = connection.getresponse()
        content = answer.read()
        elapsed = time.perf_counter() - began
        if answer.status == 302:
            results.append(("booked", elapsed))
        elif answer.status == 200 and b'id="booking-refusal"' in content:
            results.append(("full", elapsed))
        else:
            results.append((f"error {answer.status}", elapsed))
    except Exception as error:  # noqa: BLE001 - counted as an error
        results.append((f"error {type(error).__name__}", 0.0))


def environment(workdir: Path) -> dict[str, str]:
    """The server's and the scripts' environment, on a fresh database of this bench only."""
    import psycopg

    with psycopg.connect(
        dbname="postgres", host="127.0.0.1", user="postgres", autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    drop = {"PRODUCTION", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "CLOCK_SINCE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        DATA_DIR=str(workdir / "data"),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        CLOCK_AT=CLOCK_AT,
        DOCUMENTS_ROOT=str(workdir / "documents"),
        DJANGO_SETTINGS_MODULE="admissions.config.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def main() -> int:
    args = arguments()
    if args.prepare:
        prepare(args.choosers, args.seats, Path(args.prepare))
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="bench-exams-"))
    env = environment(workdir)
    env.update(
        CLOCK_AT=CLOCK_AT,
        DATABASE_URL=env["DATABASE_URL"].replace(
            "admissions_bench_back_office", "admissions_bench_exams"
        ),
    )
    import psycopg

    with psycopg.connect(
        dbname="postgres", host="127.0.0.1", user="postgres", autocommit=True
    ) as c:
        c.execute('DROP DATABASE IF EXISTS "admissions_bench_exams" WITH (FORCE)')
        c.execute('CREATE DATABASE "admissions_bench_exams"')
    log = workdir / "setup.log"
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env, log)
    run([sys.executable, "manage.py", "load_campaign", str(CAMPAIGN_FILE)], env, log)
    pool = workdir / "pool.json"
    run([sys.executable, str(Path(__file__)), "--choosers", str(args.choosers), "--seats",
         str(args.seats), "--prepare", str(pool)], env, log)  # fmt: skip
    data = json.loads(pool.read_text())
    server = Server(args.port, args.workers, env, workdir / "gunicorn.log")
    try:
        server.wait_ready()
        start = threading.Barrier(len(data["sessions"]))
        results: list[tuple[str, float]] = []
        threads = [
            threading.Thread(target=chooser, args=(args.port, s, data["day"], start, results))
            for s in data["sessions"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    bookings, booked = count(env, data["day"])
    outcomes = [outcome for outcome, _elapsed in results]
    latencies = sorted(elapsed for _outcome, elapsed in results if elapsed)
    errors = [o for o in outcomes if o.startswith("error")]
    losers = args.choosers - outcomes.count("booked")
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000
    print(
        "| choosers | seats | bookings made | day's count | errors | losers told full | p50 | p99 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.choosers} | {args.seats} | {bookings} | {booked} | {len(errors)} | "
        f"{outcomes.count('full')}/{losers} | {p50:.0f} ms | {p99:.0f} ms |"
    )
    if errors:
        print("errors:", sorted(set(errors)))
    ok = (
        bookings == booked == args.seats
        and outcomes.count("booked") == args.seats
        and not errors
        and outcomes.count("full") == losers
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
