"""Time and memory of refusing each hostile upload (issue 13), with the limit that refused it.

    ./run bench hostile_uploads [--only NAME[,NAME…]] [--no-tracemalloc]

Each bomb is built in memory (``zonedesk.testing.hostile``), then read by the reader the server uses
(``ledgerio.reader.read_workbook`` for ledgers, ``intake.readers.read_upload`` for reports) in a fresh
child process, so that its ``ru_maxrss`` growth is its own. Printed per bomb: the file's size, wall
time, the tracemalloc peak (Python allocations; tracemalloc slows allocation-heavy code, so the wall
time is measured in a second run without it), the peak RSS growth of the child, and the refusal.
The bound stated in the README: every bomb refused with the process growing by less than 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

BOMBS = {
    # name: (reader, builder expression in zonedesk.testing.hostile, file name)
    "xlsx_3gb": ("ledger", "xlsx_expanding(3)", "台账.xlsx"),
    "xlsx_lying_header": ("ledger", "xlsx_expanding(1, lie_to=50 * MB)", "台账.xlsx"),
    "xlsx_one_row_1m_cell": ("ledger", "xlsx_huge_cell(1_000_000)", "台账.xlsx"),
    "xlsx_shared_1m_cell": ("ledger", "xlsx_huge_cell(1_000_000, shared=True)", "台账.xlsx"),
    "xlsx_one_row_20mb": ("ledger", "xlsx_huge_cell(20_000_000)", "台账.xlsx"),
    "xlsx_501_columns": ("ledger", "xlsx_wide_row(501)", "台账.xlsx"),
    "xlsx_nested_10000": ("ledger", "xlsx_nested(10_000)", "台账.xlsx"),
    "xlsx_billion_laughs": ("ledger", "xlsx_with_dtd()", "台账.xlsx"),
    "zip_100000_members": ("ledger", "zip_members(100_000)", "台账.xlsx"),
    "csv_10mb_2.1m_rows": ("ledger", "csv_rows(10)", "台账.csv"),
    "docx_3gb": ("intake", "docx_expanding(3)", "报告.docx"),
    "docx_xxe": ("intake", "docx_xxe()", "报告.docx"),
    "docx_nested_10000": ("intake", "docx_nested(10_000)", "报告.docx"),
}

CHILD = r"""
import json, os, resource, sys, time, tracemalloc
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.config.settings.test")
import django
django.setup()
from zonedesk.testing import hostile
from zonedesk.testing.hostile import MB
reader, expr, name, traced = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
data = eval("hostile." + expr, {"hostile": hostile, "MB": MB})
if reader == "ledger":
    from zonedesk.ledgerio.reader import read_workbook as read
    call = lambda: read(data, name=name.rsplit(".", 1)[0])
else:
    from zonedesk.intake.readers import read_upload
    call = lambda: read_upload(name, data)
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if traced:
    tracemalloc.start()
t0 = time.perf_counter()
try:
    call()
    outcome, limit = "ACCEPTED", ""
except Exception as exc:
    outcome, limit = getattr(exc, "message", str(exc)), getattr(exc, "limit", type(exc).__name__)
seconds = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] if traced else 0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0
print(json.dumps({"size": len(data), "seconds": seconds, "peak": peak, "rss_kb": rss, "limit": limit,
                  "outcome": outcome}, ensure_ascii=False))
"""


def run(reader: str, expr: str, name: str, traced: bool) -> dict:
    env = dict(os.environ, ZONEDESK_LOG_LEVEL="ERROR")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, reader, expr, name, "1" if traced else "0"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="", help="comma-separated bomb names")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(BOMBS)
    print(
        f"load average {os.getloadavg()[0]:.2f}; limits: zonedesk.config.settings.base ZONEDESK_UPLOAD_LIMITS"
    )
    print(f"{'bomb':<24}{'file':>10}{'wall s':>9}{'tracemalloc MB':>16}{'RSS +MB':>9}  limit: message")
    worst = 0.0
    for name in names:
        reader, expr, file_name = BOMBS[name]
        plain = run(reader, expr, file_name, traced=False)
        traced = run(reader, expr, file_name, traced=True) if not args.no_tracemalloc else {"peak": 0}
        rss_mb = plain["rss_kb"] / 1024
        worst = max(worst, rss_mb, traced["peak"] / 2**20)
        print(
            f"{name:<24}{plain['size'] / 2**20:>8.2f}MB{plain['seconds']:>9.2f}{traced['peak'] / 2**20:>16.1f}"
            f"{rss_mb:>9.1f}  {plain['limit']}: {plain['outcome']}"
        )
    print(f"largest growth: {worst:.1f} MB (bound: 300 MB)")
    return 0 if worst < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
