"""`zonedesk extract` and `zonedesk extract-eval`.

    zonedesk extract [--json] [--published YYYY-MM-DD] PATH...
    zonedesk extract-eval [--verbose] GOLD_DIR TEXT_DIR

With --json, extract prints one JSON object per input file on its own line (the contract
other tools read); without it, a summary in Chinese for people.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from zonedesk.textnorm import to_json_number

from . import extract
from .evaluate import evaluate_dir, read_text, totals
from .model import KIND_LABELS, Result

# The ledger's stage names live in zonedesk.projects (rules/stage_gates.toml), which needs Django;
# this command runs without it (zonedesk.cli hands it over before Django starts), so it names them here.
_STAGE_LABEL = {
    "reserve": "储备",
    "negotiating": "在谈",
    "signed": "签约",
    "landed": "落地",
    "land_supplied": "供地",
    "started": "开工",
    "in_production": "投产",
    "at_capacity": "达产",
}


def _published(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from exc


def main_extract(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="zonedesk extract", description="Extract figures and projects from Chinese zone reports."
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    parser.add_argument("--published", type=_published, help="publication date, resolves 今年/10月24日")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    args = parser.parse_args(argv)
    status = 0
    for raw in args.paths:
        path = Path(raw)
        try:
            text = read_text(path)
        except OSError as exc:
            print(f"zonedesk extract: {raw}: {exc.strerror or exc}", file=sys.stderr)
            status = 1
            continue
        result = extract(text, published=args.published)
        if args.json:
            print(json.dumps(result.to_json_dict(raw), ensure_ascii=False))
        else:
            print(_summary(raw, result))
    return status


def _fmt(value: object) -> str:
    if isinstance(value, dict):
        return f"{value.get('from')} 至 {value.get('to')}"
    try:
        return str(to_json_number(value))  # type: ignore[arg-type]
    except (AttributeError, TypeError):
        return str(value)


def _summary(source: str, result: Result) -> str:
    lines = [f"== {source} =="]
    for kind in ("money", "area"):
        facts = result.of_kind(kind)
        lines.append(f"{KIND_LABELS[kind]}：{len(facts)} 处")
        for f in facts:
            unit = f.unit
            if kind == "money":
                unit = "万元" if f.currency == "CNY" else f"万 {f.currency}"
            lines.append(f"  {f.text} → {_fmt(f.value)} {unit}{'（约）' if f.approx else ''}")
    others = [k for k in ("capacity", "count", "rate", "date", "zone", "enterprise") if result.of_kind(k)]
    for kind in others:
        names = "、".join(dict.fromkeys(f.text for f in result.of_kind(kind)))
        lines.append(f"{KIND_LABELS[kind]}：{names}")
    lines.append(f"项目：{len(result.projects)} 个")
    for i, p in enumerate(result.projects, 1):
        parts = [p.name]
        if p.zone:
            parts.append(f"开发区 {p.zone}")
        if p.enterprise:
            parts.append(f"企业 {p.enterprise}")
        if p.investment_wan is not None:
            unit = "万元" if p.currency == "CNY" else f"万 {p.currency}"
            parts.append(f"投资 {_fmt(p.investment_wan)} {unit}")
        if p.land_mu is not None:
            parts.append(f"用地 {_fmt(p.land_mu)} 亩")
        if p.floor_area_m2 is not None:
            parts.append(f"建筑面积 {_fmt(p.floor_area_m2)} 平方米")
        if p.stage:
            parts.append(f"阶段 {_STAGE_LABEL.get(p.stage, p.stage)}")
        lines.append(f"  {i}. " + " | ".join(parts))
    return "\n".join(lines)


def main_eval(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="zonedesk extract-eval",
        description="Precision/recall/F1 of money and area facts and recall of projects against gold files.",
    )
    parser.add_argument("gold_dir", metavar="GOLD_DIR", type=Path)
    parser.add_argument("text_dir", metavar="TEXT_DIR", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and false positives")
    args = parser.parse_args(argv)
    for d in (args.gold_dir, args.text_dir):
        if not d.is_dir():
            print(f"zonedesk extract-eval: not a directory: {d}", file=sys.stderr)
            return 2
    try:
        reports = evaluate_dir(args.gold_dir, args.text_dir)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        print(f"zonedesk extract-eval: {exc}", file=sys.stderr)
        return 2
    if not reports:
        print(f"zonedesk extract-eval: no gold *.json in {args.gold_dir}", file=sys.stderr)
        return 2
    for r in reports:
        print(
            f"{r.doc}: money P={r.money.precision:.3f} R={r.money.recall:.3f} F1={r.money.f1:.3f}  "
            f"area P={r.area.precision:.3f} R={r.area.recall:.3f} F1={r.area.f1:.3f}  "
            f"projects R={r.projects.recall:.3f} ({r.projects.found}/{r.projects.total})"
        )
        if args.verbose:
            for label, items in (
                ("money miss", r.money.misses),
                ("money extra", r.money.false_positives),
                ("area miss", r.area.misses),
                ("area extra", r.area.false_positives),
                ("project miss", r.projects.misses),
                ("trap hit", r.traps_violated),
            ):
                for item in items:
                    print(f"    {label}: {item}")
    money, area, projects, traps = totals(reports)
    print(
        f"money     precision={money.precision:.3f} recall={money.recall:.3f} f1={money.f1:.3f} "
        f"(tp={money.tp} fp={money.fp} fn={money.fn})"
    )
    print(
        f"area      precision={area.precision:.3f} recall={area.recall:.3f} f1={area.f1:.3f} "
        f"(tp={area.tp} fp={area.fp} fn={area.fn})"
    )
    zone = f"{projects.zone_right}/{projects.zone_total}"
    stage = f"{projects.stage_right}/{projects.stage_total}"
    print(
        f"projects  recall={projects.recall:.3f} ({projects.found}/{projects.total}) "
        f"zone correct {zone}, stage correct {stage}"
    )
    print(f"traps     violated={len(traps)}")
    return 0
