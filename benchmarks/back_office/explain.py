"""Load-independent measures of the back office's pages (run by run.py, or by hand).

For each page of PAGES.json (the queue with each filter and search, the funnel, a dossier
page), requested in-process with Django's test client as a central officer: the number of SQL
queries, and the sum of PostgreSQL's own execution time of those queries (EXPLAIN ANALYZE of
each SELECT, run again after the request; the planner's figure, not the wall clock, so a busy
machine inflates it far less than it does a response time). With ``--queries``, each query and its time; with ``--plans``, the plan of the
slowest query of each page is printed too.

Usage (environment from run.py): python explain.py PAGES.json OUT.json [--queries] [--plans]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from admissions.accounts.models import User  # noqa: E402

PLAN_MARK = "Execution Time: "


def execution_ms(sql: str) -> tuple[float, str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    line = next(line for line in plan.splitlines() if PLAN_MARK in line)
    return float(line.split(PLAN_MARK)[1].split()[0]), plan


def measure(client: Client, name: str, path: str) -> dict:
    client.get(path)  # warm: caches, imports
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        answer = client.get(path)
        wall = (time.perf_counter() - started) * 1000
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    timed = [(*execution_ms(sql), sql) for sql in selects]
    slowest = max(timed, default=(0.0, "", ""))
    return {
        "action": name,
        "status": answer.status_code,
        "queries": len(captured.captured_queries),
        "sql_ms": sum(ms for ms, _plan, _sql in timed),
        "slowest_ms": slowest[0],
        "slowest_plan": slowest[1],
        "slowest_sql": slowest[2],
        "wall_ms": wall,
        "each": [[ms, sql[:300]] for ms, _plan, sql in timed],
    }


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    client = Client(HTTP_HOST="127.0.0.1")  # ALLOWED_HOSTS of the bench
    client.force_login(User.objects.get(email="central0@bench.example"))
    pages = [(name, path) for name, path, _marker in plan["pages"] if not path.startswith("@")]
    pages.append(("dossier view", f"/gestion/dossiers/{plan['verdicts'][0][0]}/"))
    found = [measure(client, name, path) for name, path in pages]
    Path(sys.argv[2]).write_text(json.dumps(found))
    for row in found:
        print(
            f"{row['action']:40} {row['status']} {row['queries']:3} queries "
            f"{row['sql_ms']:8.1f} ms SQL (slowest {row['slowest_ms']:.1f}) "
            f"{row['wall_ms']:8.1f} ms wall"
        )
        if "--queries" in sys.argv:
            for ms, sql in row["each"]:
                print(f"    {ms:7.1f} ms  {sql}")
        if "--plans" in sys.argv:
            print(row["slowest_sql"], "\n", row["slowest_plan"], "\n")


if __name__ == "__main__":
    main()
