"""Load and check ``columns.toml``: header synonyms, header units, stage and status words.

The file is configuration that zone staff extend, so every mistake in it must come back as a
Chinese sentence naming the file and the entry, not as a KeyError deep inside an import.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from zonedesk.textnorm import normalize, parse_money_wan
from zonedesk.textnorm.quantities import AREA_UNITS

CONFIG_PATH = Path(__file__).with_name("columns.toml")

KINDS = frozenset({"text", "names", "money", "area", "date", "stage", "choice", "uscc", "integer", "reasons"})
# Import fields that are not Project columns: the investor's code (resolved with the investor) and
# the coded hesitation reasons (written as ProjectHesitation rows).
NON_PROJECT_FIELDS = frozenset({"investor_uscc", "hesitations"})
NON_PROJECT_LABELS = {"investor_uscc": "统一社会信用代码", "hesitations": "观望原因"}


_F = TypeVar("_F", bound=Callable[..., Any])


def in_ledger_language(fn: _F) -> _F:
    """Run ``fn`` in the installation's language (Chinese), whatever language the user works in.

    A ledger is a Chinese document: its stage and status words, choice labels, drop-down lists,
    headers and the messages that point into it are the models' Chinese labels. The pages around
    an import or export follow the user's language; what is read from and written to the file
    does not.
    """
    from django.conf import settings
    from django.utils import translation

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ConfigError(ValueError):
    """The columns file is broken; the message is meant for the person who edited it."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    synonyms: tuple[str, ...]  # normalised (half-width, simplified, no spaces)
    kind: str
    unit: str | None = None
    currency: str | None = None
    verbose_name: str = ""


@dataclass(frozen=True)
class ColumnConfig:
    fields: dict[str, FieldSpec]
    ignored_headers: frozenset[str]
    header_units: dict[str, str]  # normalised unit text → canonical unit
    stage_words: dict[str, str]  # normalised word → stage code
    status_words: dict[str, str]  # normalised word → status code
    default_stage: str

    def field_label(self, name: str) -> str:
        spec = self.fields.get(name)
        return spec.verbose_name if spec and spec.verbose_name else name


_SPACE = re.compile(r"\s")


def squeeze(text: str) -> str:
    """The form headers and words are compared in: normalised, all whitespace removed."""
    text = normalize(text)  # returns the text itself when no character needs mapping
    # str.split() and \s split on the same (Unicode) whitespace.
    return "".join(text.split()) if _SPACE.search(text) else text


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"导入列配置文件 {path.name} 有误：{message}")


def _project_field_label(name: str) -> str | None:
    """Verbose name of a Project field, or None when Project has no such field."""
    from django.core.exceptions import FieldDoesNotExist

    from zonedesk.projects.models import Project

    try:
        found = Project._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return str(found.verbose_name) if getattr(found, "concrete", False) else None  # not a reverse relation


def _is_money_unit(unit: str) -> bool:
    try:
        parse_money_wan("1", default_unit=unit)
    except ValueError:
        return False
    return True


def _check_unit(path: Path, name: str, kind: str, unit: str | None) -> None:
    if unit is None:
        if kind in {"money", "area"}:
            raise _fail(path, f"字段 {name} 的类型为 {kind}，必须写明 unit（默认单位）")
        return
    if kind == "money" and not _is_money_unit(unit):
        raise _fail(path, f"字段 {name} 的金额单位“{unit}”无法识别")
    if kind == "area" and unit not in AREA_UNITS:
        raise _fail(path, f"字段 {name} 的面积单位“{unit}”无法识别")


def _load_field(path: Path, name: str, spec: Any) -> FieldSpec:
    if not isinstance(spec, dict):
        raise _fail(path, f"[fields.{name}] 应为一个表")
    label = _project_field_label(name)
    if label is None and name not in NON_PROJECT_FIELDS:
        raise _fail(path, f"字段 {name} 不是项目（Project）的字段")
    synonyms = spec.get("synonyms")
    if (
        not isinstance(synonyms, list)
        or not synonyms
        or not all(isinstance(s, str) and s.strip() for s in synonyms)
    ):
        raise _fail(path, f"字段 {name} 的 synonyms 必须是非空的文字列表")
    kind = spec.get("kind", "text")
    if kind not in KINDS:
        raise _fail(path, f"字段 {name} 的 kind“{kind}”无效，可选：{'、'.join(sorted(KINDS))}")
    unit = spec.get("unit")
    _check_unit(path, name, kind, unit)
    return FieldSpec(
        name=name,
        synonyms=tuple(squeeze(s) for s in synonyms),
        kind=kind,
        unit=unit,
        currency=spec.get("currency"),
        verbose_name=label or NON_PROJECT_LABELS[name],
    )


def _check_synonyms_unique(path: Path, fields: dict[str, FieldSpec]) -> None:
    # A header meaning two fields would make the mapping depend on file order: refuse it.
    owner: dict[str, str] = {}
    for spec in fields.values():
        for word in spec.synonyms:
            if word in owner and owner[word] != spec.name:
                raise _fail(path, f"表头“{word}”同时出现在字段 {owner[word]} 和 {spec.name} 中")
            owner[word] = spec.name


def _word_table(path: Path, raw: Any, section: str, valid: set[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _fail(path, f"缺少 [{section}] 表")
    table: dict[str, str] = {}
    for code, words in raw.items():
        if code not in valid:
            raise _fail(path, f"[{section}] 中的代码“{code}”无效，可选：{'、'.join(sorted(valid))}")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise _fail(path, f"[{section}] 中 {code} 的取值必须是文字列表")
        for word in words:
            key = squeeze(word)
            if key in table and table[key] != code:
                raise _fail(path, f"[{section}] 中“{word}”同时对应 {table[key]} 和 {code}")
            table[key] = code
    return table


def _header_units(path: Path, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _fail(path, "缺少 [header_units] 表")
    units: dict[str, str] = {}
    for text, unit in raw.items():
        if not isinstance(unit, str) or not (_is_money_unit(unit) or unit in AREA_UNITS):
            raise _fail(path, f"[header_units] 中“{text}”对应的单位“{unit}”无法识别")
        units[squeeze(text)] = unit
    return units


def load_config(path: Path = CONFIG_PATH) -> ColumnConfig:
    """Parse and check a columns file; raise ConfigError with a Chinese message when broken."""
    from zonedesk.projects.choices import Stage, Status

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _fail(path, "文件不存在") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"格式错误（{exc}）") from exc
    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise _fail(path, "缺少 [fields.*] 字段定义")
    fields = {name: _load_field(path, name, spec) for name, spec in raw_fields.items()}
    if "name" not in fields:
        raise _fail(path, "必须定义项目名称字段 [fields.name]")
    _check_synonyms_unique(path, fields)
    default_stage = raw.get("import", {}).get("default_stage", Stage.RESERVE.value)
    if default_stage not in Stage.values:
        raise _fail(path, f"[import] default_stage“{default_stage}”不是有效阶段")
    return ColumnConfig(
        fields=fields,
        ignored_headers=frozenset(squeeze(h) for h in raw.get("ignore", {}).get("headers", [])),
        header_units=_header_units(path, raw.get("header_units")),
        stage_words=_word_table(path, raw.get("stages"), "stages", set(Stage.values)),
        status_words=_word_table(path, raw.get("statuses", {}), "statuses", set(Status.values)),
        default_stage=default_stage,
    )


@lru_cache(maxsize=1)
def get_config() -> ColumnConfig:
    return load_config()
