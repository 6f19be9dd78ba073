"""Names in a ledger → rows in the database, within one zone and through the scope gate.

A ledger names things the way people say them: "新材料招商中心", "张三", "生物医药产业园",
"山西XX铝业有限公司". Each is looked up once per import among the rows the importing user may see
(``restrict``), preferring the target zone's own; two equally good matches are an error, never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zonedesk.access.scoping import can, restrict
from zonedesk.enterprises.services import normalize_enterprise_name

from .config import squeeze

_INDUSTRY_CODE = re.compile(r"^([A-Ta-t])?(\d{2,4})?(?:\s|$|[^\dA-Za-z])")
CHUNK = 500


class NotFound(ValueError):
    """A name that matches nothing (or too much); the message is the part after 'M列（责任单位）：'."""


@dataclass(frozen=True, slots=True)
class EnterpriseRef:
    """An investor: an existing enterprise (``pk``) or one the import will create (``key``)."""

    pk: int | None
    key: str  # normalised name, or the USCC when one was given
    name: str
    uscc: str | None = None


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Resolver:
    """Lookups for one import by one user into one zone, each loaded once."""

    def __init__(self, user: Any, zone: Any) -> None:
        from zonedesk.access.models import OrgUnit, User
        from zonedesk.geo.models import Park

        self.user, self.zone = user, zone
        self.parks: dict[str, int] = {}
        self.park_names: dict[int, str] = {}
        for pk, name in restrict(user, "view", Park).filter(zone=zone).values_list("pk", "name"):
            self.parks[squeeze(name)] = pk
            self.park_names[pk] = name
        self.units: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        self.unit_names: dict[int, str] = {}
        for pk, name, short, unit_zone in restrict(user, "view", OrgUnit).values_list(
            "pk", "name", "short_name", "zone_id"
        ):
            self.unit_names[pk] = name
            for key in {squeeze(name), squeeze(short or "")} - {""}:
                self.units[key].append((pk, unit_zone))
        # Officers are the zone's people: a namesake in another zone is not this project's officer.
        self.officers: dict[str, list[int]] = defaultdict(list)
        self.officer_names: dict[int, str] = {}
        for pk, username, full_name in User.objects.filter(is_active=True, unit__zone=zone).values_list(
            "pk", "username", "full_name"
        ):
            self.officer_names[pk] = full_name or username
            for key in {squeeze(full_name or ""), squeeze(username)} - {""}:
                if pk not in self.officers[key]:
                    self.officers[key].append(pk)
        self._industries: tuple[dict[str, int], dict[str, list[int]], dict[int, str]] | None = None
        self.enterprise_names: dict[int, str] = {}
        self.may_add_enterprise = can(user, "add", _enterprise_model())

    # ------------------------------------------------------------------ single names

    def park(self, text: str) -> int:
        pk = self.parks.get(squeeze(text))
        if pk is None:
            known = "、".join(self.park_names.values()) or "无"
            raise NotFound(f"本开发区没有名为“{text}”的园区（现有：{known}）")
        return pk

    def unit(self, text: str) -> int:
        found = self.units.get(squeeze(text), [])
        if len(found) > 1:
            own = [u for u in found if u[1] == self.zone.pk]
            found = own or found
        if not found:
            raise NotFound(f"未找到单位“{text}”（须为系统中已有且您有权查看的单位，按全称或简称匹配）")
        if len(found) > 1:
            raise NotFound(f"单位“{text}”对应多个单位，请填写全称")
        return found[0][0]

    def officer(self, text: str) -> int:
        found = self.officers.get(squeeze(text), [])
        if not found:
            raise NotFound(f"本开发区没有用户“{text}”（责任人须为系统用户，按姓名或用户名匹配）")
        if len(found) > 1:
            raise NotFound(f"本开发区有多名用户叫“{text}”，请改填用户名")
        return found[0]

    def _industry_tables(self) -> tuple[dict[str, int], dict[str, list[int]], dict[int, str]]:
        if self._industries is None:
            from zonedesk.enterprises.models import IndustryCode

            by_code: dict[str, int] = {}
            by_name: dict[str, list[int]] = defaultdict(list)
            shown: dict[int, str] = {}
            rows = list(
                IndustryCode.objects.values_list("pk", "code", "name", "level", "parent_id", "version")
            )
            section = {pk: code for pk, code, _n, level, _p, _v in rows if level == "section"}
            parent = {pk: p for pk, _c, _n, _l, p, _v in rows}
            for pk, code, name, _level, _p, _version in rows:
                node = pk
                while parent.get(node) is not None:
                    node = parent[node]
                letter = section.get(node, "")
                full = code if code == letter else f"{letter}{code}"
                by_code.setdefault(code.upper(), pk)
                by_code.setdefault(full.upper(), pk)
                by_name[squeeze(name)].append(pk)
                shown[pk] = f"{full} {name}"
            self._industries = (by_code, by_name, shown)
        return self._industries

    def industry(self, text: str) -> int:
        by_code, by_name, _shown = self._industry_tables()
        cleaned = squeeze(text)
        match = _INDUSTRY_CODE.match(cleaned + " ")
        if match and (match.group(1) or match.group(2)):
            code = ((match.group(1) or "") + (match.group(2) or "")).upper()
            pk = by_code.get(code) or (by_code.get(match.group(2)) if match.group(2) else None)
            if pk is not None:
                return pk
        found = by_name.get(re.sub(r"^[A-Za-z]?\d*", "", cleaned), [])
        if len(found) == 1:
            return found[0]
        raise NotFound(f"无法识别的行业“{text}”，请填写国民经济行业分类代码（如 C39）或名称")

    def industry_label(self, pk: int) -> str:
        return self._industry_tables()[2].get(pk, str(pk))

    # ------------------------------------------------------------------ enterprises, in bulk

    def enterprises(self, rows: list[tuple[list[str], str | None]]) -> list[list[EnterpriseRef] | NotFound]:
        """Investors of many rows at once: (names, USCC of the first name) → refs, or the error.

        USCC first; then the normalised name among enterprises the user may see; otherwise a new
        enterprise is planned (one per USCC or normalised name, however many rows name it).
        """
        Enterprise = _enterprise_model()
        usccs = sorted({u for _n, u in rows if u})
        # Each distinct name normalised once (the same investor often backs many rows).
        norm_of = {n: normalize_enterprise_name(n) for n in {n for names, _u in rows for n in names}}
        norms = sorted(set(norm_of.values()))
        by_uscc: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(usccs):
            for pk, uscc, name in Enterprise.objects.filter(uscc__in=chunk).values_list("pk", "uscc", "name"):
                by_uscc[uscc] = (pk, name)
        visible_uscc: set[int] = set()
        ids = [pk for pk, _n in by_uscc.values()]
        for chunk in _chunks(ids):
            visible_uscc.update(
                restrict(self.user, "view", Enterprise).filter(pk__in=chunk).values_list("pk", flat=True)
            )
        by_norm: dict[str, list[tuple[int, str, int | None, str | None]]] = defaultdict(list)
        for chunk in _chunks(norms):
            for pk, norm, name, zone_id, uscc in (
                restrict(self.user, "view", Enterprise)
                .filter(normalized_name__in=chunk)
                .values_list("pk", "normalized_name", "name", "zone_id", "uscc")
            ):
                by_norm[norm].append((pk, name, zone_id, uscc))
        out: list[list[EnterpriseRef] | NotFound] = []
        # The same investor on many rows is one (immutable) reference, not one per row.
        known: dict[tuple[str, str | None], EnterpriseRef | NotFound] = {}
        for names, uscc in rows:
            refs: list[EnterpriseRef] = []
            problem = None
            for i, name in enumerate(names):
                key = (name, uscc if i == 0 else None)
                ref = known.get(key)
                if ref is None:
                    try:
                        ref = self._one_enterprise(
                            name, key[1], by_uscc, visible_uscc, by_norm, norm_of[name]
                        )
                    except NotFound as exc:
                        ref = exc
                    known[key] = ref
                if isinstance(ref, NotFound):
                    problem = ref
                    break
                refs.append(ref)
            out.append(problem if problem is not None else refs)
        return out

    def _one_enterprise(
        self,
        name: str,
        uscc: str | None,
        by_uscc: dict[str, tuple[int, str]],
        visible: set[int],
        by_norm: dict[str, list[tuple[int, str, int | None, str | None]]],
        norm: str | None = None,
    ) -> EnterpriseRef:
        norm = norm if norm is not None else normalize_enterprise_name(name)
        if uscc and uscc in by_uscc:
            pk, stored = by_uscc[uscc]
            if pk not in visible:
                raise NotFound(f"统一社会信用代码 {uscc} 已属于其他开发区的企业，您无权关联")
            self.enterprise_names[pk] = stored
            return EnterpriseRef(pk, uscc, stored, uscc)
        candidates = [c for c in by_norm.get(norm, []) if not (uscc and c[3] and c[3] != uscc)]
        if len(candidates) > 1:
            own = [c for c in candidates if c[2] == self.zone.pk]
            candidates = own or candidates
        if candidates:
            pk, stored, _zone, _uscc = min(candidates)
            self.enterprise_names[pk] = stored
            return EnterpriseRef(pk, norm, stored, uscc)
        if not self.may_add_enterprise:
            raise NotFound(f"未找到企业“{name}”，且您没有新建企业的权限")
        return EnterpriseRef(None, uscc or norm, name, uscc)


def _enterprise_model() -> Any:
    from zonedesk.enterprises.models import Enterprise

    return Enterprise
