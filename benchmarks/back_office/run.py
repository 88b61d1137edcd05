"""The back office at scale (issue 11): see README.md. `make bench-back-office`.

Creates a fresh PostgreSQL database, grows the campaign to each size (10,000 then 100,000
dossiers by default), serves the platform with gunicorn (one sync worker per core), measures
the check queue with each filter and a search, the funnel, single user and 8 concurrent staff
(locust, 127.0.0.1 only, bounded), then the CSV and XLSX export of every dossier (time and the
worker's peak memory), and prints one table with the issue's targets.
Exit status 0 when every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess  # noqa: S404 - the benchmark starts its own server and clients
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
CAMPAIGN_FILE = ROOT / "admissions" / "campaigns" / "reference" / "imt-mines-albi-2021.toml"
CLOCK_AT = "2021-03-15T10:00:00+01:00"  # after the close: the central check's weeks
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DATABASE = "admissions_bench_back_office"
TARGET_P95_MS, TARGET_GROWTH = 150, 1.5
TARGET_EXPORT_S, TARGET_EXPORT_MB = 60, 300


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="dossiers, comma-separated")
    parser.add_argument("--rounds", type=int, default=10, help="visits of every page per user")
    parser.add_argument("--staff", type=int, default=8, help="concurrent staff")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--workdir", help="keep files and logs here (default: a temporary folder)")
    return parser.parse_args()


def run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        result = subprocess.run(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{log.read_text()[-3000:]}")


def fresh_database() -> str:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DATABASE}"


def environment(workdir: Path) -> dict[str, str]:
    drop = {"PRODUCTION", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "CLOCK_SINCE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        DATA_DIR=str(workdir / "data"),
        DATABASE_URL=fresh_database(),
        CLOCK_AT=CLOCK_AT,
        DOCUMENTS_ROOT=str(workdir / "documents"),
        STAFF_REQUIRE_MFA="false",  # sessions are written straight into the table
        DJANGO_SETTINGS_MODULE="admissions.config.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


class Server:
    def __init__(self, port: int, workers: int, env: dict, log: Path):
        self.port, self.log = port, log
        command = [
            str(VENV_BIN / "gunicorn"), "admissions.config.wsgi", "-w", str(workers),
            "-b", f"127.0.0.1:{port}", "--timeout", "300", "--chdir", str(ROOT),
            "--worker-tmp-dir", "/dev/shm", "--no-control-socket",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.ps = psutil.Process(self.process.pid)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        sys.exit("gunicorn did not answer")

    def workers(self) -> list[psutil.Process]:
        return self.ps.children(recursive=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def pages() -> list[list[str]]:
    """The queue with each filter and a search, and the funnel: [action, path, marker]."""
    with psycopg.connect(dbname=DATABASE, **PG) as connection:
        programme = connection.execute("SELECT id FROM campaigns_programme LIMIT 1").fetchone()[0]
        option = connection.execute(
            "SELECT id FROM campaigns_option ORDER BY position LIMIT 1"
        ).fetchone()[0]
    queue, marker = "/gestion/verification/", "queue-table"
    filters = [
        ("queue", ""),
        ("queue page 40", "?page=40"),
        ("queue sorted by name", "?sort=name"),
        ("filter programme", f"?programme={programme}"),
        ("filter option", f"?option={option}"),
        ("filter status sought", "?status_sought=formation_continue"),
        ("filter state unchecked", "?state=unchecked"),
        ("filter state refused", "?state=refused"),
        ("filter submission dates", "?submitted_from=2021-02-01&submitted_until=2021-02-03"),
        ("filter items to fix", "?to_fix=yes"),
        ("filter scholarship", "?scholarship_claimed=yes"),
        ("filter payment declared", "?payment=declared"),
        ("search name", "?q=Lef%C3%A8vre"),
        ("search reference", "?q=BNCH-00005000"),
        ("search email", "?q=bench5000%40example.org"),
    ]
    found = [[f"queue: {name}", queue + query, marker] for name, query in filters]
    found.append(["funnel", "/gestion/statistiques/", "bar-chart"])
    return found


def crowd(users: int, rounds: int, workdir: Path, env: dict, port: int, size: int) -> dict:
    out = workdir / f"crowd-{size}-{users}.json"
    command = [
        PYTHON, str(HERE / "crowd.py"), f"http://127.0.0.1:{port}", str(users), str(rounds),
        str(out), str(workdir / "sessions.json"), str(workdir / "pages.json"),
    ]  # fmt: skip
    print(f"  {size} dossiers, {users} staff, {rounds} rounds ...", flush=True)
    run(command, env, workdir / f"crowd-{size}-{users}.log")
    return json.loads(out.read_text())


def export(server: Server, session: str, fmt: str) -> dict:
    """Download every dossier as ``fmt``: seconds, bytes, rows, the workers' peak RSS."""
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for worker in server.workers():
                with contextlib.suppress(psutil.Error):
                    peak[0] = max(peak[0], worker.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/gestion/verification/export.{fmt}",
        headers={"Cookie": f"sessionid={session}"},
    )
    started = time.monotonic()
    size, lines = 0, 0
    with urllib.request.urlopen(request, timeout=600) as answer:
        while chunk := answer.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    return {
        "format": fmt,
        "seconds": elapsed,
        "bytes": size,
        "lines": lines,
        "peak_mb": peak[0] / 2**20,
    }


def action(result: dict, name: str) -> dict:
    return next(a for a in result["actions"] if a["action"] == name)


def report(results: dict, exports: dict, sizes: list[int], staff: int) -> tuple[list[str], bool]:
    lines = [
        "| page | "
        + " | ".join(
            f"{size:,} p50 / p95 ms (1 user) | {size:,} p95 ms ({staff} staff)" for size in sizes
        )
        + " | growth p95 1 user | failures |"
    ]
    lines.append("|---|" + "---:|---:|" * len(sizes) + "---:|---:|")
    ok = True
    names = [a["action"] for a in results[(sizes[0], 1)]["actions"]]
    for name in names:
        cells, failures = [], 0
        for size in sizes:
            single, crowd_ = action(results[(size, 1)], name), action(results[(size, staff)], name)
            cells.append(f"{single['p50']:.0f} / {single['p95']:.0f} | {crowd_['p95']:.0f}")
            failures += single["failures"] + crowd_["failures"]
        first, last = (action(results[(s, 1)], name)["p95"] for s in (sizes[0], sizes[-1]))
        growth = last / first if first else 0
        ok &= failures == 0 and action(results[(sizes[-1], 1)], name)["p95"] <= TARGET_P95_MS
        ok &= len(sizes) == 1 or growth <= TARGET_GROWTH
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth:.2f}× | {failures} |")
    lines += ["", "| dossiers | export | seconds | MB sent | rows | worker peak RSS MB |",
              "|---:|---|---:|---:|---:|---:|"]  # fmt: skip
    for size in sizes:
        for item in exports[size]:
            lines.append(
                f"| {size:,} | {item['format']} | {item['seconds']:.1f} | "
                f"{item['bytes'] / 2**20:.1f} | {item['lines'] - 1 if item['format'] == 'csv' else '—'} | "
                f"{item['peak_mb']:.0f} |"
            )
            ok &= item["seconds"] <= TARGET_EXPORT_S and item["peak_mb"] <= TARGET_EXPORT_MB
    largest = sizes[-1]
    lines += [
        "",
        f"Targets: queue p95 < {TARGET_P95_MS} ms single user at {largest:,} dossiers; "
        f"p95 at {largest:,} no more than {TARGET_GROWTH}× p95 at {sizes[0]:,}; "
        f"export of every dossier < {TARGET_EXPORT_S} s with peak memory < {TARGET_EXPORT_MB} MB: "
        + ("PASS" if ok else "FAIL"),
    ]
    return lines, ok


def main() -> None:
    args = arguments()
    sizes = [int(size) for size in args.sizes.split(",")]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="back_office-"))
    if args.workdir and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"back office: sizes {sizes}, {args.workers} gunicorn workers, logs in {workdir}")
    env = environment(workdir)
    setup = workdir / "setup.log"
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env, setup)
    run([PYTHON, "manage.py", "load_campaign", str(CAMPAIGN_FILE)], env, setup)
    results: dict[tuple[int, int], dict] = {}
    exports: dict[int, list[dict]] = {}
    server = None
    try:
        for size in sizes:
            started = time.monotonic()
            run(
                [PYTHON, str(HERE / "prepare.py"), str(size), str(args.staff),
                 str(workdir / "sessions.json")],
                env,
                setup,
            )  # fmt: skip
            print(f"  {size} dossiers prepared in {time.monotonic() - started:.0f} s", flush=True)
            (workdir / "pages.json").write_text(json.dumps(pages()))
            if server is None:
                server = Server(args.port, args.workers, env, workdir / "gunicorn.log")
                server.wait_ready()
            crowd(1, 1, workdir, env, args.port, size)  # warm-up, not reported
            for users in (1, args.staff):
                rounds = args.rounds if users == 1 else max(1, args.rounds // 2)
                results[(size, users)] = crowd(users, rounds, workdir, env, args.port, size)
            session = json.loads((workdir / "sessions.json").read_text())[0]["session"]
            exports[size] = [export(server, session, fmt) for fmt in ("csv", "xlsx")]
    finally:
        if server is not None:
            server.stop()
    lines, ok = report(results, exports, sizes, args.staff)
    errors = sorted({e for r in results.values() for e in r["errors"]})
    if errors:
        lines += ["", "Errors:", *errors]
    text = "\n".join(lines)
    print(text)
    (workdir / "report.md").write_text(text + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
