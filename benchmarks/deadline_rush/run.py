"""The deadline rush benchmark: see README.md. Run with the project's venv: `make bench-deadline-rush`.

Creates fresh PostgreSQL databases, a pool of candidates on the last evening, serves the
platform and the floor project with gunicorn (one sync worker per core), runs locust against
127.0.0.1 at each level, checks the database afterwards, prints the table and the targets.
Exit status 0 when every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess  # noqa: S404 - the benchmark starts its own servers and clients
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import psutil
import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
CAMPAIGN_FILE = ROOT / "admissions" / "campaigns" / "reference" / "imt-mines-albi-2021.toml"
CLOCK_AT = "2021-03-09T22:30:00+01:00"  # the last evening: applications close at midnight
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PLATFORM_DB, FLOOR_DB = "admissions_bench", "admissions_bench_floor"
FLOOR_LOGIN_DB = "admissions_bench_floor_login"
FLOOR_LOGIN_POOL = 400  # accounts for the floor-save crowd (one per user at each level)
CV_SIZE = 1_048_576
# Against the floor WITH a login (floor-save): the bare floor keeps no session, which any
# page save must read; the save's rate and its p99 are judged against the least save.
TARGET_RATIO, TARGET_P99_FACTOR, TARGET_P99_USERS = 0.80, 2.0, 32


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", default="8,32,128", help="concurrent users, comma-separated")
    parser.add_argument("--rush-seconds", type=float, default=20)
    parser.add_argument("--saves-seconds", type=float, default=15)
    parser.add_argument("--floor-seconds", type=float, default=15)
    parser.add_argument("--pool", type=int, default=2000, help="candidates created beforehand")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (1: sync workers; more: gthread, for both servers)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--floor-port", type=int, default=8766)
    parser.add_argument("--workdir", help="keep files and logs here (default: a temporary folder)")
    return parser.parse_args()


def run(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> None:
    with log.open("a") as out:
        result = subprocess.run(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, check=False
        )  # noqa: S603
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{log.read_text()[-3000:]}")


def fresh_database(name: str) -> str:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def base_environment(workdir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "PRODUCTION",
            "DATABASE_URL",
            "REDIS_URL",
            "S3_BUCKET",
            "CLOCK_SINCE",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env.update(DEBUG="false", ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    env["DATA_DIR"] = str(workdir / "data")
    return env


def cv_pdf(path: Path) -> None:
    """A valid one-page PDF of exactly 1 MiB: the upload tests' own generator."""
    sys.path.insert(0, str(ROOT))
    from tests.documents.corpus import pdf_of_size

    path.write_bytes(pdf_of_size(CV_SIZE))


class Server:
    def __init__(
        self,
        name: str,
        app: str,
        port: int,
        workers: int,
        threads: int,
        env: dict,
        log: Path,
        cwd: Path,
    ):
        self.name, self.port, self.log = name, port, log
        command = [
            str(VENV_BIN / "gunicorn"),
            app,
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--chdir",
            str(cwd),
            "--worker-tmp-dir",
            "/dev/shm",
            "--no-control-socket",
        ]  # noqa: S108 - gunicorn heartbeat
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=log.open("w"), stderr=subprocess.STDOUT
        )  # noqa: S603
        self.ps = psutil.Process(self.process.pid)

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}{path}", timeout=5
                ) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        sys.exit(f"{self.name} did not answer on {path}:\n{self.log.read_text()[-3000:]}")

    def cpu(self) -> float:
        return cpu_seconds([self.ps, *self.ps.children(recursive=True)])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def cpu_seconds(processes) -> float:
    """User + system CPU seconds of these processes (one that ended meanwhile counts nothing)."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def postgres_cpu() -> float:
    return cpu_seconds(
        p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith("postgres")
    )


def crowd(
    scenario: str,
    server: Server,
    users: int,
    seconds: float,
    workdir: Path,
    env: dict,
    pool: Path | None = None,
    offset: int = 0,
    cv: Path | None = None,
) -> dict:
    out = workdir / f"{scenario}-{users}.json"
    command = [
        PYTHON,
        str(HERE / "crowd.py"),
        scenario,
        f"http://127.0.0.1:{server.port}",
        str(users),
        str(seconds),
        str(out),
    ]
    if pool is not None:
        command += [str(pool), str(offset)] + ([str(cv)] if cv is not None else [])
    before = (server.cpu(), postgres_cpu())
    print(f"  {scenario:12} {users:>3} users, {seconds:.0f} s ...", flush=True)
    run(command, env, workdir / f"crowd-{scenario}-{users}.log")
    result = json.loads(out.read_text())
    result["server_cpu"] = server.cpu() - before[0]
    result["postgres_cpu"] = postgres_cpu() - before[1]
    out.write_text(json.dumps(result, indent=1))
    return result


def action(result: dict, name: str) -> dict:
    return next(
        (a for a in result["actions"] if a["action"] == name),
        {"action": name, "requests": 0, "failures": 0, "rps": 0.0, "p50": 0, "p95": 0, "p99": 0},
    )


def table(results: list[dict]) -> list[str]:
    lines = [
        "| users | scenario | action | req/s | p50 ms | p95 ms | p99 ms | failures | client CPU share |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        total = result["client_cpu"] + result["server_cpu"] + result["postgres_cpu"]
        share = f"{100 * result['client_cpu'] / total:.0f} %" if total else "?"
        for a in result["actions"]:
            lines.append(
                f"| {result['users']} | {result['scenario']} | {a['action']} | {a['rps']:.1f} | "
                f"{a['p50']:.0f} | {a['p95']:.0f} | {a['p99']:.0f} | {a['failures']} | {share} |"
            )
    return lines


def main() -> None:
    args = arguments()
    levels = [int(level) for level in args.levels.split(",")]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="deadline_rush-"))
    if workdir.exists() and args.workdir:
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"deadline rush: levels {levels}, {args.workers} gunicorn workers, logs in {workdir}")

    env = base_environment(workdir)
    platform_env = {
        **env,
        "DATABASE_URL": fresh_database(PLATFORM_DB),
        "CLOCK_AT": CLOCK_AT,
        "DOCUMENTS_ROOT": str(workdir / "documents"),
        "EMAIL_URL": "locmem://",
        "DJANGO_SETTINGS_MODULE": "admissions.config.settings",
    }
    floor_env = {
        **env,
        "DATABASE_URL": fresh_database(FLOOR_DB),
        "DJANGO_SETTINGS_MODULE": "floor_site.settings",
        "PYTHONPATH": str(HERE / "floor"),
    }
    login_env = {
        **floor_env,
        "DATABASE_URL": fresh_database(FLOOR_LOGIN_DB),
        "DJANGO_SETTINGS_MODULE": "floor_site.settings_login",
    }
    setup_log = workdir / "setup.log"
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], platform_env, setup_log)
    run([PYTHON, "manage.py", "load_campaign", str(CAMPAIGN_FILE)], platform_env, setup_log)
    pool, cv = workdir / "pool.json", workdir / "cv.pdf"
    cv_pdf(cv)
    run(
        [PYTHON, str(HERE / "prepare.py"), str(args.pool), str(pool)],
        {**platform_env, "PYTHONPATH": str(ROOT)},
        setup_log,
    )
    run(
        [PYTHON, "-m", "django", "migrate", "--no-input", "-v", "0"],
        floor_env,
        setup_log,
        cwd=HERE / "floor",
    )
    run(
        [PYTHON, "-m", "django", "migrate", "--no-input", "-v", "0"],
        login_env,
        setup_log,
        cwd=HERE / "floor",
    )
    login_pool = workdir / "floor-login-pool.json"
    run(
        [PYTHON, "-m", "floor_login.prepare", str(FLOOR_LOGIN_POOL), str(login_pool)],
        login_env,
        setup_log,
        cwd=HERE / "floor",
    )
    print(
        f"  setup done in {time.monotonic() - started:.0f} s ({args.pool} candidates)", flush=True
    )

    platform = Server(
        "platform",
        "admissions.config.wsgi",
        args.port,
        args.workers,
        args.threads,
        platform_env,
        workdir / "platform.log",
        ROOT,
    )
    floor = Server(
        "floor",
        "floor_site.wsgi",
        args.floor_port,
        args.workers,
        args.threads,
        floor_env,
        workdir / "floor.log",
        HERE / "floor",
    )
    floor_login = Server(
        "floor-login",
        "floor_site.wsgi",
        args.floor_port + 1,
        args.workers,
        args.threads,
        login_env,
        workdir / "floor-login.log",
        HERE / "floor",
    )
    results, submitted, attempted, offset, login_offset = [], [], [], 0, 0
    try:
        platform.wait_ready("/notice/")
        floor.wait_ready("/form/")
        floor_login.wait_ready("/form/")
        # Warm-up (not reported): every worker imports and renders its pages once.
        warm = crowd("saves", platform, 4, 3, workdir, env, pool, offset, cv)
        offset += warm["used"]
        crowd("floor", floor, 4, 3, workdir, env)
        login_offset += crowd(
            "floor-save", floor_login, 4, 3, workdir, env, login_pool, login_offset
        )["used"]
        for users in levels:
            rush = crowd("rush", platform, users, args.rush_seconds, workdir, env, pool, offset, cv)
            offset += rush["used"]
            submitted += rush["submitted"]
            attempted += rush["attempted"]
            saves = crowd(
                "saves", platform, users, args.saves_seconds, workdir, env, pool, offset, cv
            )
            offset += saves["used"]
            results += [rush, saves, crowd("floor", floor, users, args.floor_seconds, workdir, env)]
            visits = crowd(
                "visits", platform, users, args.saves_seconds, workdir, env, pool, offset, cv
            )
            offset += visits["used"]
            results += [
                visits,
                crowd("floor-visits", floor, users, args.floor_seconds, workdir, env),
            ]
            floor_save = crowd(
                "floor-save",
                floor_login,
                users,
                args.floor_seconds,
                workdir,
                env,
                login_pool,
                login_offset,
            )
            login_offset += floor_save["used"]
            results.append(floor_save)
    finally:
        platform.stop()
        floor.stop()
        floor_login.stop()

    submitted_file = workdir / "submitted.json"
    submitted_file.write_text(json.dumps({"confirmed": submitted, "attempted": attempted}))
    run(
        [
            PYTHON,
            str(HERE / "verify.py"),
            str(submitted_file),
            str(CV_SIZE),
            str(workdir / "verify.json"),
        ],
        {**platform_env, "PYTHONPATH": str(ROOT)},
        setup_log,
    )
    verification = json.loads((workdir / "verify.json").read_text())
    report(args, levels, results, verification, workdir, time.monotonic() - started)


def report(args, levels, results, verification, workdir: Path, elapsed: float) -> None:
    by = {(r["scenario"], r["users"]): r for r in results}
    lines = [
        f"Deadline rush, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} cores, "
        f"{args.workers} gunicorn {'sync workers' if args.threads == 1 else f'gthread workers x {args.threads} threads'} per server, PostgreSQL on 127.0.0.1, "
        f"clock at {CLOCK_AT}, {elapsed:.0f} s in all",
        "",
    ]
    lines += table(results)
    lines += [
        "",
        "| users | scenario | requests/s | CPU s client | CPU s gunicorn | CPU s PostgreSQL | gunicorn CPU ms/request |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        count = sum(a["requests"] for a in r["actions"])
        lines.append(
            f"| {r['users']} | {r['scenario']} | {count / r['seconds']:.1f} | {r['client_cpu']:.1f} | "
            f"{r['server_cpu']:.1f} | {r['postgres_cpu']:.1f} | {1000 * r['server_cpu'] / max(count, 1):.0f} |"
        )
    lines += [
        "",
        "| users | page saves/s (saves) | floor-with-login saves/s (floor-save) | ratio | "
        "page save p99 ms | floor-with-login save p99 ms | p99 factor | "
        "bare floor inserts/s (floor) | page saves / bare floor | "
        "page open + save loops/s (visits) | floor open + insert loops/s | ratio | "
        "page saves/s in the rush | submitted |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios, p99_factors = {}, {}
    for users in levels:
        save = action(by[("saves", users)], "page: save")
        least = action(by[("floor-save", users)], "floor: save")
        ratios[users] = save["rps"] / least["rps"] if least["rps"] else 0.0
        p99_factors[users] = save["p99"] / least["p99"] if least["p99"] else float("inf")
        floor = action(by[("floor", users)], "floor: insert")["rps"]
        loops = action(by[("visits", users)], "page: save")["rps"]
        floor_loops = action(by[("floor-visits", users)], "floor: insert")["rps"]
        rush = by[("rush", users)]
        lines.append(
            f"| {users} | {save['rps']:.1f} | {least['rps']:.1f} | {ratios[users]:.2f} | "
            f"{save['p99']:.0f} | {least['p99']:.0f} | {p99_factors[users]:.2f} | "
            f"{floor:.1f} | {save['rps'] / floor if floor else 0:.2f} | {loops:.1f} | "
            f"{floor_loops:.1f} | {loops / floor_loops if floor_loops else 0:.2f} | "
            f"{action(rush, 'page: save')['rps']:.1f} | {len(rush['submitted'])} |"
        )

    targets = []
    worst_ratio = min(ratios.values())
    targets.append(
        (
            worst_ratio >= TARGET_RATIO,
            f"page saves >= {TARGET_RATIO:.0%} of the floor-with-login's save throughput at "
            f"every level (lowest ratio {worst_ratio:.2f})",
        )
    )
    if TARGET_P99_USERS in levels:
        factor = p99_factors[TARGET_P99_USERS]
        rush = by[("rush", TARGET_P99_USERS)]
        worst = max(rush["actions"], key=lambda a: a["p99"])
        targets.append(
            (
                factor <= TARGET_P99_FACTOR,
                f"page save p99 <= {TARGET_P99_FACTOR:g}x the floor-with-login save p99 at "
                f"{TARGET_P99_USERS} users (factor {factor:.2f}; for information, the rush's "
                f"worst p99: {worst['action']} {worst['p99']:.0f} ms)",
            )
        )
    failures = sum(a["failures"] for r in results for a in r["actions"])
    problems = sorted({p for r in results for p in r["problems"]})
    server_errors = [
        line
        for name in ("platform.log", "floor.log", "floor-login.log")
        for line in (workdir / name).read_text().splitlines()
        if "Traceback" in line or "ERROR" in line or "WORKER TIMEOUT" in line
    ]
    targets.append(
        (
            failures == 0 and not problems and not server_errors,
            f"no error ({failures} failed requests, {len(server_errors)} server error lines"
            f"{', ' + ', '.join(problems) if problems else ''})",
        )
    )
    submitted = verification["checked"]
    targets.append(
        (
            submitted > 0 and not verification["problems"],
            f"every submitted dossier complete in the database ({submitted} confirmed, "
            f"{verification['submitted_in_db']} SUBMITTED incl. POSTs in flight at the stop, "
            f"{len(verification['problems'])} problems)",
        )
    )
    lines += ["", *[f"{'PASS' if ok else 'FAIL'}  {text}" for ok, text in targets]]
    for error in [e for r in results for e in r["errors"]][:10]:
        lines.append(f"  error: {error['count']} x {error['action']}: {error['error'][:200]}")
    for problem in verification["problems"][:10]:
        lines.append(f"  verify: {problem}")
    for line in server_errors[:10]:
        lines.append(f"  server: {line[:200]}")
    text = "\n".join(lines)
    print("\n" + text)
    (workdir / "report.md").write_text(text + "\n")
    print(f"\n(report and logs in {workdir})")
    sys.exit(0 if all(ok for ok, _ in targets) else 1)


if __name__ == "__main__":
    main()
