"""Score extract() against hand-made gold files.

Gold format (one JSON file per text, named like the text: report_a.json ↔ report_a.txt):

    {"doc": "report_a.txt",
     "money":    [{"text": "总投资约11.5亿元", "wan": 115000, "currency": "CNY"?, "optional": true?}],
     "area":     [{"text": "占地256亩", "value": 256, "unit": "mu" | "m2", "optional": true?}],
     "projects": [{"name_keywords": ["提氢"], "investment_wan": 115000?, "zone_keywords": ["兴县"]?,
                   "stage": "签约"?}],
     "traps":    ["年产10万吨"]}

Matching rules
- A predicted money/area fact matches a gold item when the values are equal (money: 万 and
  currency, default CNY; area: value and unit) and the fact's span overlaps an occurrence of
  the gold text in the document (gold texts are short context phrases around the figure).
  Each gold item and each prediction is used at most once.
- Optional gold items neither count as misses nor make the prediction they match a false
  positive. Predictions matching nothing are false positives.
- A gold project is found when one predicted project's name contains every name keyword
  and, if the gold gives investment_wan, the predicted investment is equal. Zone and stage
  are scored only on found projects (zone: every zone keyword in the predicted zone;
  stage: the gold's Chinese stage word maps to the predicted stage code).
- A trap is violated when a money or area fact overlaps an occurrence of the trap text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zonedesk.textnorm import normalize

from . import extract, lexicon
from .model import Fact, Result

_UNIT = {"m2": "平方米", "mu": "亩", "平方米": "平方米", "亩": "亩"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses += other.misses
        self.false_positives += other.false_positives

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ProjectScore:
    found: int = 0
    total: int = 0
    zone_right: int = 0
    zone_total: int = 0
    stage_right: int = 0
    stage_total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: ProjectScore) -> None:
        for name in ("found", "total", "zone_right", "zone_total", "stage_right", "stage_total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0


@dataclass
class DocReport:
    doc: str
    money: Score
    area: Score
    projects: ProjectScore
    traps_violated: list[str]


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans = []
    for hay, pin in ((text, needle), (normalize(text), normalize(needle))):
        start = hay.find(pin)
        while start >= 0:
            spans.append((start, start + len(pin)))
            start = hay.find(pin, start + 1)
        if spans:
            break
    return spans


def _overlaps(f: Fact, spans: list[tuple[int, int]]) -> bool:
    return any(f.start < e and s < f.end for s, e in spans)


def _score_facts(text: str, gold: list[dict[str, Any]], predicted: list[Fact], kind: str) -> Score:
    score = Score()
    used: set[int] = set()
    # non-optional items first, so an optional item never steals a prediction
    for item in sorted(gold, key=lambda g: bool(g.get("optional"))):
        spans = _occurrences(text, item["text"])
        if kind == "money":
            want = (Decimal(str(item["wan"])), item.get("currency", "CNY"))
        else:
            want = (Decimal(str(item["value"])), _UNIT[item["unit"]])
        match = None
        for i, f in enumerate(predicted):
            have = (f.value, f.currency) if kind == "money" else (f.value, f.unit)
            if i not in used and have == want and _overlaps(f, spans):
                match = i
                break
        if match is not None:
            used.add(match)
            if not item.get("optional"):
                score.tp += 1
        elif not item.get("optional"):
            score.fn += 1
            score.misses.append(f"{item['text']} = {want[0]}")
    for i, f in enumerate(predicted):
        if i not in used:
            score.fp += 1
            score.false_positives.append(f"{f.text} = {f.value}")
    return score


def _score_projects(gold: list[dict[str, Any]], result: Result) -> ProjectScore:
    score = ProjectScore(total=len(gold))
    for item in gold:
        keywords = [normalize(k) for k in item["name_keywords"]]
        want = item.get("investment_wan")
        hit = None
        for p in result.projects:
            if all(k in p.name for k in keywords) and (
                want is None or (p.investment_wan is not None and p.investment_wan == Decimal(str(want)))
            ):
                hit = p
                break
        if hit is None:
            score.misses.append("+".join(keywords) + (f" ({want}万)" if want is not None else ""))
            continue
        score.found += 1
        if item.get("zone_keywords"):
            score.zone_total += 1
            score.zone_right += all(normalize(k) in (hit.zone or "") for k in item["zone_keywords"])
        if item.get("stage"):
            score.stage_total += 1
            score.stage_right += lexicon.STAGE_WORDS.get(item["stage"], item["stage"]) == hit.stage
    return score


def evaluate_document(text: str, gold: dict[str, Any], result: Result | None = None) -> DocReport:
    result = result or extract(text)
    money = _score_facts(text, gold.get("money", []), result.of_kind("money"), "money")
    area = _score_facts(text, gold.get("area", []), result.of_kind("area"), "area")
    projects = _score_projects(gold.get("projects", []), result)
    figures = [f for f in result.facts if f.kind in ("money", "area")]
    traps = [t for t in gold.get("traps", []) if any(_overlaps(f, _occurrences(text, t)) for f in figures)]
    return DocReport(gold.get("doc", ""), money, area, projects, traps)


def read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese office machines write."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def evaluate_dir(gold_dir: Path, text_dir: Path) -> list[DocReport]:
    reports = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = gold.get("doc") or gold_path.with_suffix(".txt").name
        text_path = text_dir / doc
        if not text_path.exists():
            raise FileNotFoundError(f"gold {gold_path.name} names {doc}, not found in {text_dir}")
        report = evaluate_document(read_text(text_path), gold)
        report.doc = doc
        reports.append(report)
    return reports


def totals(reports: list[DocReport]) -> tuple[Score, Score, ProjectScore, list[str]]:
    money, area, projects = Score(), Score(), ProjectScore()
    traps: list[str] = []
    for r in reports:
        money.add(r.money)
        area.add(r.area)
        projects.add(r.projects)
        traps += r.traps_violated
    return money, area, projects, traps
