"""Server time of the workspace's pages at province scale, on SQLite and on PostgreSQL.

    ./run bench web_pages [--size 100000] [--backends sqlite,postgresql] [--reuse] [--repeat 7]

For each backend it builds the demo with ``--size`` generated projects into a throw-away database
(SQLite under bench/out/, PostgreSQL database ``zonedesk_bench`` on 127.0.0.1), then requests each
page through Django's test client (no network, no browser: server time only) as the province
administrator (all 100 000 projects) and as a zone officer, and prints the median of ``--repeat``
runs after one warm-up, with the number of SQL queries per request. Target (issue 3): < 300 ms each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_URL = "postgres://postgres@127.0.0.1:5432/zonedesk_bench"

PAGES = [
    ("ledger", "/projects/"),
    (
        "ledger, filtered",
        "/projects/?stage=started&status=normal&investment_min=10000&sort=-total_investment_wan",
    ),
    ("search 碳化硅", "/projects/?q=碳化硅"),
    ("search 兴县 签约", "/projects/?q=兴县+签约"),
    ("board", "/board/"),
    ("dashboard", "/dashboard/"),
]


def child(backend: str, size: int, reuse: bool, repeat: int) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zonedesk.config.settings.local"
    os.environ["ZONEDESK_DATA_DIR"] = str(OUT / f"web-{backend}")
    if backend == "postgresql":
        os.environ["DATABASE_URL"] = PG_URL
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zonedesk.access.models import User
    from zonedesk.projects.models import Project

    built_s = None
    have = 0
    from django.db import DatabaseError

    try:
        have = Project.objects.count()
    except DatabaseError:  # no tables yet
        have = 0
    if reuse and have >= size:
        call_command("migrate", verbosity=0)  # a reused database gets the newest indexes
    if not (reuse and have >= size):
        from zonedesk.demo.loader import build_demo

        if backend == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(OUT / f"web-{backend}" / f"zonedesk.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            call_command("migrate", verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        build_demo(size=size)
        built_s = time.perf_counter() - t
        if backend == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
    results = {"backend": backend, "projects": Project.objects.count(), "build_s": built_s, "pages": []}
    for username in ("sheng", "gaoxin"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        for label, url in PAGES:
            client.get(url)  # warm-up: caches, jieba's dictionary, the query planner
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    resp = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200, (url, resp.status_code)
            results["pages"].append(
                {
                    "user": username,
                    "page": label,
                    "median_ms": round(statistics.median(times), 1),
                    "max_ms": round(max(times), 1),
                    "queries": len(queries),
                }
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built at this size")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size, args.reuse, args.repeat)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE zonedesk_bench"],
            capture_output=True,
        )
    reports = []
    for backend in backends:
        print(f"== {backend}: building/reading {args.size} generated projects…", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                backend,
                "--size",
                str(args.size),
                "--repeat",
                str(args.repeat),
            ]
            + (["--reuse"] if args.reuse else []),
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        reports.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(
        f"\nWorkspace pages, server time through Django's test client (median of {args.repeat}, after a warm-up)"
    )
    print("target: < 300 ms per page; queries per page constant\n")
    header = f"{'backend':<11} {'projects':>8} {'user':<7} {'page':<18} {'median ms':>9} {'max ms':>8} {'queries':>7}"
    print(header)
    print("-" * len(header))
    for r in reports:
        for p in r["pages"]:
            print(
                f"{r['backend']:<11} {r['projects']:>8} {p['user']:<7} {p['page']:<18} {p['median_ms']:>9} {p['max_ms']:>8} {p['queries']:>7}"
            )
        if r["build_s"]:
            print(f"{r['backend']:<11} demo build: {r['build_s']:.0f} s")
    worst = max(p["median_ms"] for r in reports for p in r["pages"])
    print(f"\nslowest median: {worst} ms ({'within' if worst < 300 else 'OVER'} the 300 ms target)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
