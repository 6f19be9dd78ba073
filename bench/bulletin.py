"""Dispatch KPIs, ranking and the bulletin at scale: `python bench/bulletin.py [--size 100000]`.

Scenario "city" (issue 5's target): one city bureau with 30 zones and 3 000 projects, a year of monthly
reports (January–October 2026), plans and coordination issues. Measures, as the city's officer:
  - KPIs for the city (13 indicators, whole scope) and per zone      target ≤ 200 ms
  - the city bulletin: data + 4 charts + .docx + .pdf                 target ≤ 1 s for both files
Scenario "province" (with --size N, e.g. 100000): the demo loader's province data set of N projects plus
the dispatch demo; measures KPIs, ranking and both bulletin files for the province administrator.
Each runs on a throwaway SQLite database under a temporary ZONEDESK_DATA_DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(data_dir: str) -> None:
    os.environ["ZONEDESK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


CPU_MEDIANS: list[float] = []


def timed(fn, repeat: int = 3):
    """(first run in ms, median of the following runs in ms, last result). The median CPU time of the
    process over the same runs goes to CPU_MEDIANS[-1]: on a shared machine wall time includes waiting
    for a core, CPU time does not (the database is SQLite, in-process, so it counts too)."""
    t = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - t) * 1000
    runs, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        runs.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    CPU_MEDIANS.append(statistics.median(cpu))
    return first, statistics.median(runs), result


def cpu() -> str:
    return f"(cpu {CPU_MEDIANS[-1]:7.1f} ms)"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def build_city(zones: int, projects: int, seed: int = 7):
    from zonedesk.access.choices import Scope as GrantScope
    from zonedesk.access.choices import UnitKind
    from zonedesk.access.defaults import ensure_default_roles
    from zonedesk.access.services import grant_create, orgunit_create, user_create
    from zonedesk.core.audit import acting_as
    from zonedesk.dispatch.demo import build_dispatch_demo
    from zonedesk.geo.models import Region
    from zonedesk.geo.services import zone_create
    from zonedesk.projects.models import Project

    rng = random.Random(seed)
    stages = [
        "signed",
        "landed",
        "land_supplied",
        "started",
        "started",
        "started",
        "in_production",
        "negotiating",
    ]
    with acting_as(None, source="job", label="基准测试数据"):
        roles = ensure_default_roles()
        province = orgunit_create(
            name="山西省商务厅", kind=UnitKind.PROVINCE_BUREAU, region=Region.objects.get(pk="140000")
        )
        city = orgunit_create(name="长治市商务局", kind=UnitKind.CITY_BUREAU, parent=province)
        zone_objs = []
        for z in range(zones):
            committee = orgunit_create(
                name=f"第{z + 1}开发区管委会", kind=UnitKind.ZONE_COMMITTEE, parent=city
            )
            zone = zone_create(
                name=f"长治第{z + 1}开发区",
                kind="etdz",
                level="provincial" if z % 3 else "national",
                region=Region.objects.get(pk="140400"),
                aliases=[f"第{z + 1}区"],
                committee=committee,
            )
            for u in range(3):
                orgunit_create(
                    name=f"第{z + 1}区招商{u + 1}中心", kind=UnitKind.INVESTMENT_CENTRE, parent=committee
                )
            zone_objs.append(zone)
        officer = user_create(username="city", password="bench-password-1", full_name="市局干部", unit=city)
        grant_create(user=officer, role=roles["bureau_officer"], scope=GrantScope.UNIT_TREE)
        from zonedesk.access.models import OrgUnit

        units = {
            z.pk: list(
                OrgUnit.objects.filter(zone=z).exclude(kind="zone_committee").values_list("pk", flat=True)
            )
            for z in zone_objs
        }
        rows = []
        for i in range(projects):
            zone = zone_objs[i % zones]
            stage = rng.choice(stages)
            signed = dt.date(rng.choice([2025, 2026]), rng.randint(1, 12 if True else 10), rng.randint(1, 28))
            if signed > dt.date(2026, 10, 31):
                signed = dt.date(2026, 3, 1)
            planned = signed + dt.timedelta(days=rng.randint(60, 240))
            started = (
                planned + dt.timedelta(days=rng.randint(-20, 60))
                if stage in ("started", "in_production")
                else None
            )
            total = Decimal(rng.choice([3000, 8000, 15000, 30000, 60000, 120000]))
            rows.append(
                Project(
                    name=f"基准项目{i:05d}",
                    zone=zone,
                    pursuing_unit_id=rng.choice(units[zone.pk]),
                    stage=stage,
                    project_type=rng.choice(["new", "new", "new", "continuing"]),
                    total_investment_wan=total,
                    agreement_amount_wan=total,
                    agreement_date=signed,
                    first_signed_date=signed,
                    counted_investment_wan=total,
                    planned_start_date=planned,
                    start_date=started,
                    production_date=(started + dt.timedelta(days=rng.randint(120, 400)))
                    if stage == "in_production" and started
                    else None,
                    chain_node=rng.choice(["新材料", "新能源", "生物医药", "装备制造"]),
                )
            )
        Project.objects.bulk_create(rows, batch_size=2000)
        result = build_dispatch_demo(zone_objs, rng=rng, today=dt.date(2026, 11, 21))
    return officer, city, result


def measure(user, *, city=None, zone_ids=None, label: str) -> None:
    from pypdf import PdfReader

    from zonedesk.dispatch.bulletin import build_bulletin_data, render_docx, render_pdf
    from zonedesk.dispatch.metrics import Scope, Window, compute_kpis, compute_kpis_by
    from zonedesk.dispatch.rankings import compute_ranking

    window = Window.parse("2026-10")
    scope = Scope(user, zone_ids)
    first, warm, kpis = timed(lambda: compute_kpis(scope, window))
    print(f"[{label}] {load()}")
    print(
        f"[{label}] KPIs, whole scope (13 indicators):      first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}"
    )
    first, warm, by_zone = timed(lambda: compute_kpis_by(scope, window, "zone"))
    print(
        f"[{label}] KPIs per zone ({len(by_zone)} zones):             first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}"
    )
    first, warm, ranking = timed(lambda: compute_ranking(scope, window))
    print(
        f"[{label}] ranking ({len(ranking)} zones, 2 tiers):        first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}"
    )
    first, warm, data = timed(
        lambda: build_bulletin_data(user, window, city=city, zone_ids=zone_ids), repeat=2
    )
    print(
        f"[{label}] bulletin data + 4 charts:               first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}"
    )
    first, warm, docx = timed(lambda: render_docx(data), repeat=2)
    print(
        f"[{label}] .docx:                                  first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}  ({len(docx) // 1024} KiB)"
    )
    first, warm, pdf = timed(lambda: render_pdf(data), repeat=2)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"[{label}] .pdf:                                   first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}  ({len(pdf) // 1024} KiB, {pages} pages)"
    )

    def both():
        d = build_bulletin_data(user, window, city=city, zone_ids=zone_ids)
        return render_docx(d), render_pdf(d)

    first, warm, _ = timed(both, repeat=2)
    print(
        f"[{label}] bulletin, both files end to end:        first {first:7.1f} ms   warm {warm:7.1f} ms {cpu()}"
    )
    print(f"[{label}] {load()}")
    print(
        f"[{label}] plan completion {kpis['plan_completion_rate'].value}%, start rate {kpis['start_rate'].value}%, "
        f"red-list rows: behind {len(data.behind)}, overdue {len(data.overdue)}, missing units {len(data.missing)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zones", type=int, default=30)
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument(
        "--size", type=int, default=0, help="also run the province scenario on the demo data set of this size"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="zonedesk-bench-bulletin-") as tmp:
        setup(tmp)
        from zonedesk.dispatch.models import ProgressReport
        from zonedesk.geo.models import Zone

        t = time.perf_counter()
        officer, city, result = build_city(args.zones, args.projects)
        print(
            f"city data set: {args.zones} zones, {args.projects} projects, {result.plans} plan rows, "
            f"{result.reports} reports ({result.periods} monthly periods), {result.issues} issues "
            f"— built in {time.perf_counter() - t:.1f} s"
        )
        zone_ids = list(Zone.objects.values_list("pk", flat=True))
        measure(officer, city=city, zone_ids=zone_ids, label="city")
        del ProgressReport

    if args.size:
        with tempfile.TemporaryDirectory(prefix="zonedesk-bench-province-") as tmp:
            os.environ["ZONEDESK_DATA_DIR"] = tmp
            from django.conf import settings
            from django.db import connections

            connections.close_all()
            settings.DATABASES["default"]["NAME"] = str(Path(tmp) / "zonedesk.sqlite3")
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
            from zonedesk.access.models import User
            from zonedesk.core.audit import acting_as
            from zonedesk.demo.loader import build_demo
            from zonedesk.dispatch.demo import build_dispatch_demo
            from zonedesk.geo.models import Zone

            t = time.perf_counter()
            build_demo(size=args.size)
            t_demo = time.perf_counter() - t
            t = time.perf_counter()
            with acting_as(None, source="job", label="演示数据生成"):
                result = build_dispatch_demo(
                    Zone.objects.all(), rng=random.Random(5), today=dt.date(2026, 11, 21)
                )
            print(
                f"province data set: {args.size} projects (demo loader {t_demo:.0f} s), {result.plans} plan rows, "
                f"{result.reports} reports, {result.issues} issues — dispatch demo {time.perf_counter() - t:.0f} s"
            )
            admin = User.objects.get(username="sheng")
            measure(admin, zone_ids=None, label="province")
    return 0


if __name__ == "__main__":
    sys.exit(main())
