"""The stage-gate rules: loaded from ``rules/stage_gates.toml``, checked against the model, applied.

This module is the one place that answers "may this project enter that stage, and if not, what
is missing?". The API, the forms, the Excel import and the project page all ask it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.translation import gettext, gettext_noop

# Labels written in stage_gates.toml are Chinese; they are shown in the reader's language when the
# catalogue knows them (stage names are the Stage choices' own labels). Listed here so that
# makemessages finds the ones that are not field or stage names.
TOML_LABELS = (gettext_noop("用地面积或租赁厂房面积"),)

RULES_PATH = Path(__file__).with_name("rules") / "stage_gates.toml"


@dataclass(frozen=True)
class Missing:
    """One thing a project lacks to enter a stage, in the language active when it was found."""

    field: str  # a field name, or several joined by "|" for a requires_any group
    label: str
    stage: str
    severity: str = "error"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "stage": self.stage, "severity": self.severity}


@dataclass(frozen=True)
class StageRule:
    code: str
    label: str
    date_field: str | None
    requires: tuple[str, ...]
    requires_any: tuple[tuple[tuple[str, ...], str], ...]
    when: tuple[tuple[str, str, tuple[str, ...]], ...]
    evidence: bool
    severity: str


@dataclass(frozen=True)
class Rules:
    order: tuple[str, ...]
    stages: dict[str, StageRule]
    skip_forward: bool
    backward: bool
    backward_requires_evidence: bool
    terminated_may_move: bool
    status_requires_reason: tuple[str, ...]
    labels: dict[str, Any] = field(default_factory=dict)  # field name → verbose_name (lazy: any language)

    def index(self, stage: str) -> int:
        return self.order.index(stage)

    def label(self, stage: str) -> str:
        """The stage's name from the rules file, in the active language."""
        return gettext(self.stages[stage].label)

    def field_label(self, name: str) -> str:
        return str(self.labels.get(name, name))


def _field_label(model: Any, name: str) -> Any:
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise ImproperlyConfigured(f"阶段规则文件 {RULES_PATH.name} 引用了不存在的字段：{name}") from exc
    return getattr(f, "verbose_name", name)


def load_rules(path: Path = RULES_PATH) -> Rules:
    """Parse and check the rules file; every field it names must exist on Project."""
    from .choices import Stage, Status
    from .models import Project

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"阶段规则文件 {path.name} 格式错误：{exc}") from exc
    order = tuple(raw.get("order", ()))
    if sorted(order) != sorted(Stage.values):
        raise ImproperlyConfigured(f"阶段规则文件的 order 必须恰好列出全部阶段：{', '.join(Stage.values)}")
    labels: dict[str, Any] = {}
    stages: dict[str, StageRule] = {}
    for code in order:
        spec = raw.get("stages", {}).get(code)
        if spec is None:
            raise ImproperlyConfigured(f"阶段规则文件缺少阶段 {code} 的规则")
        names: list[str] = list(spec.get("requires", []))
        groups = []
        for group in spec.get("requires_any", []):
            fields = tuple(group["fields"])
            names.extend(fields)
            groups.append((fields, group.get("label") or ""))  # "" → the fields' labels joined by 或
        whens = []
        for cond in spec.get("when", []):
            names.append(cond["field"])
            names.extend(cond["requires"])
            whens.append((cond["field"], str(cond["equals"]), tuple(cond["requires"])))
        date_field = spec.get("date_field")
        if date_field:
            names.append(date_field)
        for name in names:
            labels[name] = _field_label(Project, name)
        severity = spec.get("severity", "error")
        if severity not in {"error", "warning"}:
            raise ImproperlyConfigured(f"阶段 {code} 的 severity 只能是 error 或 warning")
        stages[code] = StageRule(
            code=code,
            label=spec.get("label", code),
            date_field=date_field,
            requires=tuple(spec.get("requires", [])),
            requires_any=tuple(groups),
            when=tuple(whens),
            evidence=bool(spec.get("evidence", False)),
            severity=severity,
        )
    transitions = raw.get("transitions", {})
    requires_reason = tuple(raw.get("status", {}).get("requires_reason", []))
    unknown = set(requires_reason) - set(Status.values)
    if unknown:
        raise ImproperlyConfigured(f"阶段规则文件 [status] 中的状态无效：{', '.join(sorted(unknown))}")
    return Rules(
        order=order,
        stages=stages,
        skip_forward=bool(transitions.get("skip_forward", False)),
        backward=bool(transitions.get("backward", False)),
        backward_requires_evidence=bool(transitions.get("backward_requires_evidence", True)),
        terminated_may_move=bool(transitions.get("terminated_may_move", False)),
        status_requires_reason=requires_reason,
        labels=labels,
    )


@lru_cache(maxsize=1)
def get_rules() -> Rules:
    return load_rules()


def _is_filled(values: dict[str, Any], name: str) -> bool:
    value = values.get(name)
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, set)):
        return len(value) > 0
    return True


def missing_for(values: dict[str, Any], target: str, rules: Rules | None = None) -> list[Missing]:
    """What ``values`` (field name → value; m2m as lists) lack to be in ``target`` stage.

    Cumulative: entering a stage needs what every earlier stage needs too.
    """
    rules = rules or get_rules()
    out: list[Missing] = []
    seen: set[str] = set()
    for code in rules.order[: rules.index(target) + 1]:
        rule = rules.stages[code]
        required = list(rule.requires)
        for cond_field, equals, extra in rule.when:
            if str(values.get(cond_field) or "") == equals:
                required.extend(extra)
        for name in required:
            if name not in seen and not _is_filled(values, name):
                seen.add(name)
                out.append(Missing(name, rules.field_label(name), code, rule.severity))
        for fields, label in rule.requires_any:
            key = "|".join(fields)
            if key not in seen and not any(_is_filled(values, f) for f in fields):
                seen.add(key)
                shown = gettext(label) if label else gettext("或").join(rules.field_label(f) for f in fields)
                out.append(Missing(key, shown, code, rule.severity))
    return out


def value_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    """The rules between a project's fields, on its values (field name → value): a status other
    than 正常 needs its reason and date; only a 增资 project has an increase. ``Project.clean`` and
    the Excel import both ask this, so a page, the API and a ledger row are refused alike."""
    from .choices import ProjectType, Status

    errors: dict[str, list[str]] = {}
    status = values.get("status") or Status.NORMAL
    if status != Status.NORMAL:
        shown = Status(status).label if status in Status.values else status
        if not str(values.get("status_reason") or "").strip():
            errors.setdefault("status_reason", []).append(
                gettext("状态为“%(status)s”时须填写原因") % {"status": shown}
            )
        if not values.get("status_date"):
            errors.setdefault("status_date", []).append(
                gettext("状态为“%(status)s”时须填写日期") % {"status": shown}
            )
    if (values.get("project_type") or ProjectType.NEW) != ProjectType.CAPITAL_INCREASE and values.get(
        "increase_amount_wan"
    ):
        errors.setdefault("increase_amount_wan", []).append(gettext("只有增资项目填写增资额"))
    return errors


def project_values(project: Any) -> dict[str, Any]:
    """The values the rules look at, read from a saved or unsaved Project."""
    values = {f.name: getattr(project, f.attname) for f in project._meta.concrete_fields}
    values["investors"] = list(project.investors.values_list("pk", flat=True)) if project.pk else []
    return values
