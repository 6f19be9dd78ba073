"""What extract() returns: facts found in the text and the projects they add up to."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zonedesk.textnorm import to_json_number

# Fact kinds, in the order the CLI summary prints them, and their names (the review page translates them).
KINDS = ("money", "area", "capacity", "count", "rate", "date", "zone", "enterprise", "stage")
KIND_LABELS = {
    "money": "金额",
    "area": "面积",
    "capacity": "产能/规模",
    "count": "数量",
    "rate": "比率",
    "date": "日期",
    "zone": "开发区",
    "enterprise": "企业",
    "stage": "阶段",
}


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return to_json_number(value)
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


@dataclass(slots=True)
class Fact:
    """One figure or name, with offsets into the ORIGINAL text: text == source[start:end].

    value by kind: money → Decimal 万 of `currency`; area → Decimal in `unit` (亩 | 平方米);
    capacity/count/rate → Decimal in `unit`; date → ISO string or {"from", "to"};
    zone/enterprise → the name, simplified; stage → a ledger stage code.
    """

    kind: str
    text: str
    start: int
    end: int
    value: Any
    unit: str | None = None
    currency: str | None = None
    approx: bool = False
    # date: before/end/start/since…; stage: "planned" for a wish ("力争投产"); money: "per"
    # when the figure is a rate such as 万元/亩.
    qualifier: str | None = None
    value_to: Decimal | None = None  # upper end of a range "3-5亿元"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": _json_value(self.value),
        }
        if self.unit is not None:
            out["unit"] = self.unit
        if self.currency is not None:
            out["currency"] = self.currency
        if self.kind in ("money", "area", "capacity", "count", "rate"):
            out["approx"] = self.approx
        if self.qualifier is not None:
            out["qualifier"] = self.qualifier
        if self.value_to is not None:
            out["value_to"] = _json_value(self.value_to)
        return out


@dataclass(slots=True)
class Project:
    """A project the text names, with the figures the text ties to it.

    sentence/start/end locate the evidence in the original text (sentence == source[start:end]).
    investment_wan is in 万 of `currency` (CNY unless the text says otherwise).
    """

    name: str
    zone: str | None = None
    enterprise: str | None = None
    investment_wan: Decimal | None = None
    land_mu: Decimal | None = None
    floor_area_m2: Decimal | None = None
    stage: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0
    currency: str = "CNY"
    # Internal bookkeeping for merging mentions; not part of the JSON contract.
    mentions: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "zone": self.zone,
            "enterprise": self.enterprise,
            "investment_wan": _json_value(self.investment_wan),
            "land_mu": _json_value(self.land_mu),
            "floor_area_m2": _json_value(self.floor_area_m2),
            "stage": self.stage,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }
        if self.currency != "CNY":
            out["currency"] = self.currency
        return out


@dataclass(slots=True)
class Result:
    facts: list[Fact]
    projects: list[Project]

    def to_json_dict(self, source: str) -> dict[str, Any]:
        return {
            "source": source,
            "facts": [f.to_json() for f in self.facts],
            "projects": [p.to_json() for p in self.projects],
        }

    def of_kind(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]
