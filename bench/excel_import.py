"""Excel ledger import/export at scale: `python bench/excel_import.py [--rows 100000] [--die-rows 2000]`.

1. Generates a ROWS × 20-column Chinese ledger (.xlsx) for zone A of the test world (in a child
   process, so that building it does not count in this process's memory).
2. Reads it once on its own ("read only"), then imports it end-to-end on a fresh SQLite database
   (``--database postgres://…``: a scratch database on that server, dropped afterwards): read,
   validate every row, resolve names, write projects, investors and history in one transaction,
   with the time of each phase (read, validate, plan, write, commit). The search documents are
   derived data rebuilt after the commit: timed apart ("search index") and added in "end-to-end incl.
   search index" — the issue's 5 s is the import without them.
   Every figure is wall time with the process's CPU time beside it: on a shared machine the CPU
   time says what the code costs, the wall time what it took; the load average is printed too.
3. Runs django-import-export's default ``import_data`` (a ModelResource for Project over the same
   file loaded through tablib) on the first DIE_ROWS rows (the whole file would take far too long)
   and extrapolates linearly to ROWS; prints both the measured and the extrapolated figures and the
   ratio. By default it runs after our import (the Project table then holds ROWS projects, and its
   name lookup is a table scan); ``--die-first`` runs it before, on a table without them.
4. Exports the imported projects (template 招商项目台账, .xlsx).
5. Prints peak memory: the process's maximum RSS (resource.getrusage ru_maxrss), read right after
   our import and export (before django-import-export runs, unless --die-first), and where it rose.

Targets (issue 4): import ≤ 5 s, ≥ 10× faster than django-import-export, export ≤ 3 s, peak ≤ 400 MB.
Needs requirements/bench.txt (django-import-export and its dependencies).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HEADER = [
    "序号",
    "项目名称",
    "投资方",
    "总投资（万元）",
    "固定资产投资（万元）",
    "协议投资额（万元）",
    "协议类型",
    "签约日期",
    "用地面积（亩）",
    "建筑面积（平方米）",
    "建设内容",
    "项目阶段",
    "推进状态",
    "责任单位",
    "责任人",
    "包联领导",
    "进展情况",
    "预计年产值（万元）",
    "预计年税收（万元）",
    "带动就业（人）",
]
INDUSTRIES = [
    "新材料",
    "新能源电池",
    "生物医药",
    "高端装备",
    "数字经济",
    "现代煤化工",
    "光伏组件",
    "氢能装备",
    "碳化硅",
    "智能制造",
]
PLACES = ["山西", "长治", "太原", "北京", "上海", "深圳", "江苏", "浙江", "天津", "河北"]
CONTENT = [
    "新建标准化厂房及配套设施，购置生产设备",
    "建设研发中心、中试基地和智能化生产线",
    "分两期建设，一期建设厂房3万平方米",
    "改造现有车间，新增自动化生产线两条",
]
PROGRESS = [
    "已完成项目备案，正在办理环评",
    "厂房主体施工，预计年底封顶",
    "已赴企业考察，双方就用地达成一致",
    "设备安装调试中",
]


def mb(kb: int) -> float:
    return kb / 1024  # ru_maxrss is in KiB on Linux


def generate(path: Path, rows: int, seed: int = 20261121) -> None:
    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("项目台账")
    ws.append(HEADER)
    for n in range(1, rows + 1):
        kind = INDUSTRIES[n % len(INDUSTRIES)]
        signed = n % 3 != 0
        total = rnd.randint(500, 500_000)
        ws.append(
            [
                n,
                f"{PLACES[n % 10]}年产{n}吨{kind}项目",
                f"{PLACES[(n // 10) % 10]}{kind}科技有限公司{n % 20000}号",
                total,
                round(total * 0.8, 2),
                total if signed else None,
                "正式合同" if signed else None,
                dt.datetime(2024, 1 + n % 12, 1 + n % 28) if signed else None,
                rnd.randint(10, 2000),
                rnd.randint(1000, 90000),
                CONTENT[n % 4],
                "已签约" if signed else "洽谈中",
                "正常",
                "生物医药招商中心",
                "officer_a",
                ["张三", "李四", "王五"][n % 3],
                PROGRESS[n % 4],
                total * 2,
                round(total * 0.05, 2),
                rnd.randint(10, 2000),
            ]
        )
    wb.save(path)


def setup_django(data_dir: Path, database: str | None = None) -> None:
    os.environ["ZONEDESK_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zonedesk.config.settings.local"
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@contextmanager
def scratch_database(url: str | None):
    """None for SQLite; for a PostgreSQL URL, the URL of a fresh database there, dropped afterwards."""
    if not url:
        yield None
        return
    import psycopg

    base, _sep, _name = url.rpartition("/")
    name = f"zonedesk_bench_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


class Stopwatch:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Stopwatch:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s ({self.cpu:5.2f} s CPU)"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def die_import(path: Path, rows: int, world) -> tuple[float, int]:
    """django-import-export's default import_data over the first ``rows`` rows of the same file."""
    import tablib
    from import_export import fields, resources, widgets
    from openpyxl import load_workbook

    from zonedesk.core.audit import acting_as
    from zonedesk.projects.models import Project

    # tablib's xlsx loader reads every row; cut the same file to the subset first (not timed).
    wb = load_workbook(path, read_only=True)
    subset = [r for _i, r in zip(range(rows + 1), wb.active.iter_rows(values_only=True))]
    wb.close()
    from openpyxl import Workbook

    small = Workbook()
    for r in subset:
        small.active.append(list(r))
    buf = io.BytesIO()
    small.save(buf)

    zone_id = world.zone_b.pk

    class ProjectResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="项目名称")
        total_investment_wan = fields.Field(
            attribute="total_investment_wan", column_name="总投资（万元）", widget=widgets.DecimalWidget()
        )
        fixed_asset_investment_wan = fields.Field(
            attribute="fixed_asset_investment_wan",
            column_name="固定资产投资（万元）",
            widget=widgets.DecimalWidget(),
        )
        agreement_amount_wan = fields.Field(
            attribute="agreement_amount_wan", column_name="协议投资额（万元）", widget=widgets.DecimalWidget()
        )
        agreement_date = fields.Field(
            attribute="agreement_date", column_name="签约日期", widget=widgets.DateWidget()
        )
        land_area_mu = fields.Field(
            attribute="land_area_mu", column_name="用地面积（亩）", widget=widgets.DecimalWidget()
        )
        floor_area_m2 = fields.Field(
            attribute="floor_area_m2", column_name="建筑面积（平方米）", widget=widgets.DecimalWidget()
        )
        construction_content = fields.Field(attribute="construction_content", column_name="建设内容")
        leader_name = fields.Field(attribute="leader_name", column_name="包联领导")
        progress_note = fields.Field(attribute="progress_note", column_name="进展情况")
        expected_output_wan = fields.Field(
            attribute="expected_output_wan", column_name="预计年产值（万元）", widget=widgets.DecimalWidget()
        )
        expected_tax_wan = fields.Field(
            attribute="expected_tax_wan", column_name="预计年税收（万元）", widget=widgets.DecimalWidget()
        )
        expected_jobs = fields.Field(
            attribute="expected_jobs", column_name="带动就业（人）", widget=widgets.IntegerWidget()
        )

        class Meta:
            model = Project
            import_id_fields = ("name",)
            fields = (
                "name",
                "total_investment_wan",
                "fixed_asset_investment_wan",
                "agreement_amount_wan",
                "agreement_date",
                "land_area_mu",
                "floor_area_m2",
                "construction_content",
                "leader_name",
                "progress_note",
                "expected_output_wan",
                "expected_tax_wan",
                "expected_jobs",
            )

        def before_save_instance(self, instance, row, **kwargs):
            instance.zone_id = zone_id  # the only thing the sheet cannot say

    dataset = tablib.Dataset().load(buf.getvalue(), format="xlsx")
    started = time.perf_counter()
    with acting_as(world.admin, source="import"):
        result = ProjectResource().import_data(
            dataset, dry_run=False, raise_errors=True, use_transactions=True
        )
    elapsed = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export reported errors: the comparison would be meaningless")
    return elapsed, Project.objects.filter(zone_id=zone_id).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--die-rows", type=int, default=2_000, help="rows given to django-import-export")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="postgres://… server to run on (a scratch database) instead of SQLite",
    )
    parser.add_argument("--skip-die", action="store_true", help="do not run django-import-export (no ratio)")
    parser.add_argument("--profile", action="store_true", help="cProfile our import, print the top 30")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument(
        "--die-first",
        action="store_true",
        help="run django-import-export before our import, on a table without our 100 000 projects "
        "(its name lookup is a table scan, so it is faster there); peak memory then includes it",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also run this benchmark of another commit (a git revision) side by side, alternating "
        "runs, and print both figures: a change's effect measured on the same machine at the same time",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --against: runs of each side (best kept)")
    parser.add_argument("--generate-only", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(Path(args.generate_only), args.rows)
        return 0
    if args.against:
        return side_by_side(args)

    with (
        tempfile.TemporaryDirectory(prefix="zonedesk-bench-") as tmp,
        scratch_database(args.database) as database,
    ):
        tmp_path = Path(tmp)
        print(f"load average at start: {load_average()} ({os.cpu_count()} CPUs)")
        setup_django(tmp_path, database)
        from django.db import connection

        from zonedesk.testing.world import build_world

        world = build_world()
        path = tmp_path / "ledger.xlsx"
        t = time.perf_counter()
        # In a child process, so that building the workbook does not count in this process's peak memory.
        subprocess.run(
            [sys.executable, __file__, "--generate-only", str(path), "--rows", str(args.rows)], check=True
        )
        print(
            f"generated {args.rows} rows × {len(HEADER)} columns: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s"
        )
        data = path.read_bytes()
        baseline = mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

        from zonedesk.ledgerio.export import export_projects
        from zonedesk.ledgerio.importer import apply_import
        from zonedesk.ledgerio.reader import read_workbook
        from zonedesk.projects import selectors
        from zonedesk.projects.models import Project
        from zonedesk.projects.search import reindex
        from zonedesk.projects.selectors import ProjectFilters

        if args.die_first and not args.skip_die:
            die_s, die_new = die_import(path, args.die_rows, world)
        with Stopwatch() as read_only:
            read_workbook(data)
        import gc

        gc.collect()
        after_read = mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        with Stopwatch() as ours:
            plan, batch = apply_import(
                data,
                user=world.officer_a,
                zone=world.zone_a,
                file_name=path.name,
                source="cli",
                reindex=False,
            )
        phases = dict(plan.timings)
        counts = plan.counts
        after_import = mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        del plan  # the preview is not kept after the write
        # Search documents are derived data, rebuilt after the import's transaction commits.
        with Stopwatch() as search:
            reindex(batch.created_ids + batch.updated_ids)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.profile_sort).print_stats(30)
        assert batch.created_count == args.rows, counts
        assert Project.objects.filter(zone=world.zone_a).count() == args.rows

        qs = selectors.project_list(world.officer_a, ProjectFilters(zone=world.zone_a.pk))
        with Stopwatch() as export:
            content, _name, _type = export_projects(
                qs, zone_label=world.zone_a.name, unit_label="长治高新区管委会"
            )
        peak = mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        load_after = load_average()

        if not args.die_first and not args.skip_die:
            die_s, die_new = die_import(path, args.die_rows, world)

        n = args.rows
        print(f"database: {connection.vendor}")
        print(f"read only (parse {n} rows):                {read_only}")
        print(
            f"our import end-to-end ({n} rows):           {ours}   target ≤ 5 s   "
            f"({n / ours.wall:,.0f} rows/s; created {batch.created_count}, enterprises {len(batch.created_enterprise_ids)}; "
            "read, validate, write with history in one transaction)"
        )
        for phase in ("read", "validate", "plan", "write", "commit"):
            wall, cpu = phases.get(phase, (0.0, 0.0))
            print(f"    {phase:9s} {wall:6.2f} s ({cpu:5.2f} s CPU)")
        print(
            f"search index (after the commit, not in the figure above): {search}   ({search.wall * 1000 / n:.3f} ms per project)"
        )
        print(
            f"end-to-end incl. search index:              {ours.wall + search.wall:6.2f} s ({ours.cpu + search.cpu:5.2f} s CPU)"
        )
        if not args.skip_die:
            die_full = die_s * n / args.die_rows
            where = (
                "before our import (table without our projects)"
                if args.die_first
                else f"after ours ({n} projects in the table)"
            )
            print(
                f"django-import-export import_data, measured on {args.die_rows} rows, {where}: {die_s:6.2f} s ({die_new} new, "
                f"{args.die_rows / die_s:,.0f} rows/s)"
            )
            print(
                f"django-import-export extrapolated linearly to {n} rows:  {die_full:6.1f} s (not run on all rows)"
            )
            print(
                f"ratio (DIE extrapolated / ours):            {die_full / ours.wall:6.1f}×   target ≥ 10×   "
                f"(incl. search index: {die_full / (ours.wall + search.wall):.1f}×)"
            )
        print(f"export {n} rows (.xlsx, {len(content) / 1e6:.1f} MB):     {export}   target ≤ 3 s")
        when = "DIE included: it ran first" if args.die_first else "before DIE"
        print(
            f"peak memory (ru_maxrss, after import+export, {when}): {peak:6.0f} MB   target ≤ 400 MB "
            f"(before: {baseline:.0f} MB; after the read-only pass {after_read:.0f} MB; after the import {after_import:.0f} MB)"
        )
        print(f"load average at the end of our import and export: {load_after}")
    return 0


_FIGURES = {
    "import": re.compile(r"our import end-to-end \(\d+ rows\):\s+([\d.]+) s \(\s*([\d.]+) s CPU\)"),
    "export": re.compile(r"export \d+ rows \(.xlsx[^)]*\):\s+([\d.]+) s \(\s*([\d.]+) s CPU\)"),
    "peak MB": re.compile(r"peak memory \(ru_maxrss[^)]*\):\s+([\d.]+) MB"),
}


def _one_run(script: Path, args: argparse.Namespace) -> dict[str, tuple[float, ...]]:
    """Run ``script`` (this benchmark, of some commit) once and read its figures from what it prints."""
    cmd = [sys.executable, str(script), "--rows", str(args.rows), "--skip-die"]
    if args.database:
        cmd += ["--database", args.database]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    found = {}
    for name, pattern in _FIGURES.items():
        m = pattern.search(out)
        if m is None:
            raise SystemExit(f"{script}: no '{name}' figure in its output:\n{out}")
        found[name] = tuple(float(g) for g in m.groups())
    return found


def side_by_side(args: argparse.Namespace) -> int:
    """This tree against ``args.against``, alternating runs on the same machine; the best of each side."""
    with tempfile.TemporaryDirectory(prefix="zonedesk-against-") as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.against],
            check=True,
            capture_output=True,
        )
        try:
            sides = {"this tree": Path(__file__).resolve(), args.against: other / "bench" / "excel_import.py"}
            runs: dict[str, list[dict[str, tuple[float, ...]]]] = {k: [] for k in sides}
            for r in range(args.rounds):
                for label, script in sides.items():
                    runs[label].append(_one_run(script, args))
                    print(
                        f"round {r + 1}, {label}: {runs[label][-1]}  (load average {load_average()})",
                        flush=True,
                    )
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=False)
    print(f"\n{args.rows} rows, best of {args.rounds} alternating runs each (wall s / CPU s):")
    print(f"{'':18s}" + "".join(f"{label:>26s}" for label in runs))
    for name in _FIGURES:
        cells = []
        for label in runs:
            best = min(run[name] for run in runs[label])
            cells.append(" / ".join(f"{v:.2f}" for v in best))
        print(f"{name:18s}" + "".join(f"{c:>26s}" for c in cells))
    ours = min(run["import"][0] for run in runs["this tree"])
    theirs = min(run["import"][0] for run in runs[args.against])
    print(f"import, this tree / {args.against}: {ours / theirs:.3f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
