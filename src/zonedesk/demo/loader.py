"""Builds the demo: organisation, zones, accounts, the field's real projects, and generated ones.

Curated records go through the services, so their history and stage timelines are real.
Generated records (``size``) are written in bulk by a job, for speed at province scale; each still
gets its "created" history row, attributed to the generator job.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from zonedesk.access.choices import Scope, UnitKind
from zonedesk.access.conf import DEMO_PASSWORD
from zonedesk.access.defaults import ensure_default_roles
from zonedesk.access.models import OrgUnit, User
from zonedesk.access.services import grant_create, orgunit_create, user_create
from zonedesk.core.audit import ChangeBatch, acting_as, current_actor, snapshot
from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import enterprise_create, normalize_enterprise_name
from zonedesk.enterprises.uscc import CHARSET, check_character
from zonedesk.geo.models import Region, Zone
from zonedesk.geo.services import park_create, zone_create
from zonedesk.projects import search
from zonedesk.projects import services as project_services
from zonedesk.projects.choices import FollowUpKind, HesitationReason, ProjectType, Stage, Status
from zonedesk.projects.models import FollowUp, Project, StageLog
from zonedesk.projects.rules import get_rules

from . import curated


@dataclass
class DemoAccount:
    username: str
    full_name: str
    unit: str
    scope: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    accounts: list[DemoAccount] = field(default_factory=list)
    zones: int = 0
    enterprises: int = 0
    projects: int = 0


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class DemoBuilder:
    def __init__(self, *, seed: int = 20261121, today: dt.date | None = None):
        self.rng = random.Random(seed)
        self.today = today or dt.date.today()
        self.result = DemoResult()
        self.zones: dict[str, Zone] = {}
        self.units: dict[str, OrgUnit] = {}
        self.officers: dict[str, User] = {}
        self.admin: User | None = None

    # ------------------------------------------------------------------ organisation
    def build_organisation(self) -> None:
        roles = ensure_default_roles()
        province = orgunit_create(
            name="山西省商务厅", kind=UnitKind.PROVINCE_BUREAU, region=Region.objects.get(pk="140000")
        )
        self.units["province"] = province
        for key, (name, region) in curated.CITY_BUREAUS.items():
            self.units[key] = orgunit_create(
                name=name, kind=UnitKind.CITY_BUREAU, parent=province, region=Region.objects.get(pk=region)
            )
        for key, name, aliases, kind, level, region_code, parent_key in curated.ZONES:
            region = Region.objects.get(pk=region_code)
            parent = self.units[parent_key] if parent_key else province
            committee = orgunit_create(
                name=f"{aliases[0]}管委会", kind=UnitKind.ZONE_COMMITTEE, parent=parent, region=region
            )
            zone = zone_create(
                name=name, kind=kind, level=level, region=region, aliases=aliases, committee=committee
            )
            committee.refresh_from_db()
            self.zones[key] = zone
            self.units[key] = committee
            for dept, dept_kind in curated.DEPARTMENTS:
                self.units[f"{key}:{dept}"] = orgunit_create(
                    name=f"{aliases[0]}{dept}", short_name=dept, kind=dept_kind, parent=committee
                )
            for park in curated.PARKS.get(key, []):
                park_create(zone=zone, name=park)
        self.result.zones = len(self.zones)

        def account(username, full_name, unit_key, role, scope, zone_key=None):
            unit = self.units[unit_key]
            user = user_create(username=username, password=DEMO_PASSWORD, full_name=full_name, unit=unit)
            grant_create(
                user=user, role=roles[role], scope=scope, zone=self.zones.get(zone_key) if zone_key else None
            )
            self.result.accounts.append(DemoAccount(username, full_name, unit.name, Scope(scope).label))
            return user

        self.admin = account("sheng", "省厅管理员 李明", "province", "province_admin", Scope.ALL)
        account("changzhi", "长治市商务局 王芳", "changzhi", "bureau_officer", Scope.UNIT_TREE)
        self.officers["changzhi_hitech"] = account(
            "gaoxin",
            "长治高新区招商专员 赵磊",
            "changzhi_hitech",
            "zone_officer",
            Scope.ZONE,
            "changzhi_hitech",
        )
        self.officers["xingxian_etdz"] = account(
            "xingxian",
            "兴县经开区招商专员 刘洋",
            "xingxian_etdz",
            "zone_officer",
            Scope.ZONE,
            "xingxian_etdz",
        )
        dept_user = account(
            "yiyao",
            "长治高新区生物医药招商中心 陈静",
            "changzhi_hitech:生物医药招商中心",
            "department_officer",
            Scope.UNIT,
        )
        grant_create(user=dept_user, role=roles["department_officer"], scope=Scope.OWN)
        self.result.accounts[-1].scope = "本单位 + 本人记录"
        # Every other zone gets an officer so every project has someone answerable for it.
        for key, zone in self.zones.items():
            if key not in self.officers:
                self.officers[key] = user_create(
                    username=f"officer_{key}",
                    password=DEMO_PASSWORD,
                    full_name=f"{zone.aliases[0]}招商专员",
                    unit=self.units[key],
                )
                grant_create(user=self.officers[key], role=roles["zone_officer"], scope=Scope.ZONE, zone=zone)
        self.dept_user = dept_user

    # ------------------------------------------------------------------ curated field data
    def build_curated(self) -> None:
        enterprises = []
        for name, uscc, zone_key, tags in curated.ENTERPRISES:
            zone = self.zones.get(zone_key) if zone_key else None
            enterprises.append(
                enterprise_create(
                    user=self.admin,
                    data={
                        "name": name,
                        "uscc": uscc or None,
                        "zone": zone.pk if zone else None,
                        "in_zone": zone is not None,
                        "tags": tags,
                    },
                )
            )
        rules = get_rules()
        for name, zone_key, park_name, investor_idx, stage, fields in curated.PROJECTS:
            zone = self.zones[zone_key]
            officer = self.officers[zone_key]
            unit_key = (
                f"{zone_key}:生物医药招商中心"
                if "医" in name or "药" in name or "研发" in name
                else f"{zone_key}:先进制造招商中心"
            )
            data = {
                "name": name,
                "zone": zone.pk,
                "park": zone.parks.get(name=park_name).pk if park_name else None,
                "pursuing_unit": self.units[unit_key].pk,
                "referring_unit": self.units[f"{zone_key}:经济发展局"].pk,
                "responsible_officer": (
                    self.dept_user if zone_key == "changzhi_hitech" and "研发" in name else officer
                ).pk,
                "leader_name": "张卫东" if zone_key == "xingxian_etdz" else "李建国",
                "investors": [enterprises[i].pk for i in investor_idx],
                "project_type": ProjectType.NEW,
            }
            data.update({k: _date(v) if k.endswith("date") else v for k, v in fields.items()})
            status = {k: data.pop(k) for k in ("status", "status_reason", "status_date") if k in data}
            project = project_services.project_create(user=self.admin, data={**data, **status})
            first = project.agreement_date or self.today - dt.timedelta(days=400)
            # Walk the stage timeline so the project page shows every step with its date.
            walk = rules.order[1 : rules.index(stage) + 1]
            for target in walk:
                date_field = rules.stages[target].date_field
                on = getattr(project, date_field) if date_field and getattr(project, date_field) else first
                on = min(on, self.today)
                project = project_services.project_advance(
                    user=self.admin,
                    project=project,
                    to_stage=target,
                    occurred_on=on,
                    evidence="施工许可证已核发" if target == Stage.STARTED else "",
                )
            self._curated_follow_ups(project)
        self.result.enterprises += len(enterprises)

    def _curated_follow_ups(self, project: Project) -> None:
        base = min(self.today, project.stage_entered_on or self.today)
        project_services.followup_add(
            user=self.admin,
            project=project,
            data={
                "date": base,
                "kind": FollowUpKind.VISIT,
                "summary": "赴项目现场调研，了解建设进度和企业诉求",
                "next_step": "协调解决用电接入问题",
                "next_date": min(self.today, base + dt.timedelta(days=30)),
            },
        )
        if project.stage in (Stage.NEGOTIATING, Stage.RESERVE):
            reasons = [
                {"reason": HesitationReason.ENERGY_QUOTA, "note": "年综合能耗指标待省里批复"},
                {"reason": HesitationReason.COMPETING_LOCATION, "note": "企业同时考察周边园区"},
            ]
            project_services.project_set_hesitations(user=self.admin, project=project, reasons=reasons)
            project_services.requirement_add(
                user=self.admin,
                project=project,
                content="希望园区代建标准化厂房并给予前三年租金减免",
                raised_on=base,
            )

    # ------------------------------------------------------------------ generated data
    def build_generated(self, *, projects: int, enterprises: int | None = None, batch: int = 2000) -> None:
        """Seeded, reproducible projects covering every stage, status and hesitation reason."""
        from .names import enterprise_name, project_name

        rng = self.rng
        enterprises = (
            enterprises if enterprises is not None else max(projects * 3, 10) if projects > 1000 else projects
        )
        zones = list(self.zones.values())
        parks_by_zone = {z.pk: list(z.parks.values_list("pk", flat=True)) for z in zones}
        units_by_zone = {
            z.pk: list(
                OrgUnit.objects.filter(zone=z)
                .exclude(kind=UnitKind.ZONE_COMMITTEE)
                .values_list("pk", flat=True)
            )
            for z in zones
        }
        officers_by_zone = {z.pk: self.officers[k].pk for k, z in self.zones.items()}
        regions = list(Region.objects.filter(level="county").values_list("pk", flat=True)) or ["140100"]
        actor = current_actor()
        ct_enterprise = ContentType.objects.get_for_model(Enterprise)
        seq = Enterprise.objects.count()

        ent_ids: list[int] = []
        for start in range(0, enterprises, batch):
            rows = []
            for i in range(start, min(enterprises, start + batch)):
                name = enterprise_name(rng, seq + i)
                zone = rng.choice(zones)
                body = (
                    "9114"
                    + "".join(rng.choice("0123456789") for _ in range(4))
                    + "".join(rng.choice(CHARSET) for _ in range(9))
                )
                rows.append(
                    Enterprise(
                        name=name,
                        normalized_name=normalize_enterprise_name(name),
                        uscc=body + check_character(body),
                        region_id=rng.choice(regions),
                        zone=zone,
                        in_zone=rng.random() < 0.7,
                        tags=rng.sample(
                            ["high_tech", "specialised", "above_scale", "listed", "tech_sme"],
                            k=rng.randint(0, 2),
                        ),
                        created_by=self.admin,
                    )
                )
            made = Enterprise.objects.bulk_create(rows, batch_size=batch)
            if made and made[0].pk is None:  # older SQLite without RETURNING
                made = list(Enterprise.objects.order_by("-pk")[: len(rows)])[::-1]
            ent_ids.extend(e.pk for e in made)
            self._bulk_history(ct_enterprise, made, actor)
        self.result.enterprises += enterprises

        rules = get_rules()
        stages = list(rules.order)
        statuses = [Status.NORMAL] * 7 + [Status.BEHIND, Status.PAUSED, Status.TERMINATED]
        reasons = list(HesitationReason.values)
        kinds = list(FollowUpKind.values)
        for start in range(0, projects, batch):
            rows, plans = [], []
            for i in range(start, min(projects, start + batch)):
                zone = zones[i % len(zones)]
                stage = (
                    stages[i % len(stages)]
                    if i < len(stages) * 3
                    else rng.choices(stages, weights=[8, 10, 10, 8, 6, 10, 8, 3])[0]
                )
                status = statuses[i % len(statuses)] if i < 30 else rng.choice(statuses)
                p = self._generated_project(
                    rng, i, zone, stage, status, parks_by_zone, units_by_zone, officers_by_zone, project_name
                )
                rows.append(p)
                investor = ent_ids[rng.randrange(len(ent_ids))] if ent_ids else None
                plans.append((investor, stage, reasons[i % len(reasons)], kinds[i % len(kinds)]))
            made = self._write_projects(rows, plans, rules)
            logs, fus = [], []
            for p, (_investor, stage, _reason, kind) in zip(made, plans, strict=True):
                previous = ""
                for target in stages[: stages.index(stage) + 1]:
                    df = rules.stages[target].date_field
                    on = (getattr(p, df) if df else None) or p.stage_entered_on
                    logs.append(
                        StageLog(
                            project_id=p.pk,
                            from_stage=previous,
                            to_stage=target,
                            direction="forward",
                            occurred_on=on,
                            recorded_by_label="演示数据生成",
                            source="job",
                        )
                    )
                    previous = target
                if p.last_follow_up_on:
                    fus.append(
                        FollowUp(
                            project_id=p.pk,
                            date=p.last_follow_up_on,
                            officer_id=p.responsible_officer_id,
                            kind=kind,
                            summary="电话沟通项目推进情况",
                            next_step="跟进协议条款",
                            created_by=self.admin,
                        )
                    )
            StageLog.objects.bulk_create(logs, batch_size=batch)
            FollowUp.objects.bulk_create(fus, batch_size=batch)
            search.reindex([p.pk for p in made])
        self.result.projects += projects

    def _write_projects(self, rows: list[Project], plans: list[tuple], rules) -> list[Project]:
        """Write generated projects through the projects app's bulk path, a zone at a time, with the
        same rules (stage gates, field rules) and history as any other write; the rows get their ids."""
        from zonedesk.projects.bulk import BulkWriter, NewProject

        skip = {"id", "zone", "created_by", "created_at", "updated_at", "version"}
        names = [(f.name, f.attname) for f in Project._meta.concrete_fields if f.name not in skip]
        by_zone: dict[int, list[int]] = {}
        for n, p in enumerate(rows):
            by_zone.setdefault(p.zone_id, []).append(n)
        history = ChangeBatch()
        for zone_id, positions in by_zone.items():
            writer = BulkWriter(user=self.admin, zone_id=zone_id, history=history)
            news = []
            for n in positions:
                p, (investor, stage, reason, _kind) = rows[n], plans[n]
                signed = rules.index(stage) >= rules.index(Stage.SIGNED)
                with_investor = investor and (signed or self.rng.random() < 0.5)
                news.append(
                    NewProject(
                        values={name: getattr(p, att) for name, att in names},
                        stage=stage,
                        investors=[investor] if with_investor else [],
                        hesitations=[reason] if stage in (Stage.RESERVE, Stage.NEGOTIATING) else None,
                        note="演示数据生成",
                    )
                )
            for n, pk in zip(positions, writer.create(news)):
                rows[n].pk = rows[n].id = pk
        history.flush()
        return rows

    def _generated_project(
        self, rng, i, zone, stage, status, parks_by_zone, units_by_zone, officers_by_zone, project_name
    ):
        rules = get_rules()
        idx = rules.index(stage)
        today = self.today
        start = today - dt.timedelta(days=rng.randint(30, 1100))

        def step(day: dt.date) -> dt.date:
            return min(today, day + dt.timedelta(days=rng.randint(15, 120)))

        amount = Decimal(
            rng.choice([800, 1500, 3000, 5000, 8000, 12000, 20000, 35000, 50000, 80000, 120000, 300000])
        )
        units = units_by_zone[zone.pk]
        p = Project(
            name=project_name(rng, i),
            zone=zone,
            park_id=rng.choice(parks_by_zone[zone.pk])
            if parks_by_zone[zone.pk] and rng.random() < 0.6
            else None,
            pursuing_unit_id=rng.choice(units) if units else None,
            referring_unit_id=rng.choice(units) if units else None,
            responsible_officer_id=officers_by_zone[zone.pk],
            leader_name=rng.choice(["李建国", "张卫东", "王海涛", "刘志强", "赵红梅"]),
            project_type=rng.choices(list(ProjectType.values), weights=[70, 10, 12, 8])[0],
            total_investment_wan=amount,
            chain_node=rng.choice(
                ["", "铝基新材料", "新能源装备", "生物医药", "光伏组件", "碳化硅衬底", "氢能"]
            ),
            stage=stage,
            status=status,
            created_by=self.admin,
            negotiation_started_on=start if idx >= 1 else None,
        )
        day = start
        if p.project_type == ProjectType.CAPITAL_INCREASE:
            p.increase_amount_wan = (amount / 4).quantize(Decimal("1"))
        if idx >= 2:
            day = step(day)
            p.agreement_type, p.agreement_date, p.agreement_amount_wan = "formal", day, amount
            p.first_signed_date = day
            p.counted_investment_wan = (
                p.increase_amount_wan if p.project_type == ProjectType.CAPITAL_INCREASE else amount
            )
        if idx >= 3:
            day = step(day)
            p.landed_date = day
        if idx >= 4:
            day = step(day)
            p.land_supplied_date = day
            p.land_area_mu = Decimal(rng.choice([30, 50, 80, 120, 200, 350]))
        if idx >= 5:
            day = step(day)
            p.start_date = day
        if idx >= 6:
            day = step(day)
            p.production_date = day
        if idx >= 7:
            day = step(day)
            p.capacity_date = day
            p.expected_output_wan = amount * 2
        if idx == 4 and rng.random() < 0.5:
            p.planned_start_date = today + dt.timedelta(days=rng.randint(-90, 120))
        p.stage_entered_on = day
        if status != Status.NORMAL:
            p.status_reason = {
                "behind": "要素保障滞后，进度落后计划",
                "paused": "企业资金链紧张，暂缓建设",
                "terminated": "企业投资意向变化，项目终止",
            }[status]
            p.status_date = min(today, day + dt.timedelta(days=10))
        if rng.random() < 0.8:
            p.last_follow_up_on = today - dt.timedelta(days=rng.randint(0, 90))
        return p

    @staticmethod
    def _bulk_history(ct, objects, actor) -> None:
        """One create row per generated object, in the shape every writer uses (core.audit.row_shape)."""
        del ct, actor  # the batch reads the model from each object and the actor from the context
        history = ChangeBatch()
        for o in objects:
            history.add(type(o), o.pk, str(o), "create", None, snapshot(o), "演示数据生成")
        history.flush()


DISPATCHED_STAGES = ("signed", "landed", "land_supplied", "started", "in_production")
DISPATCH_DEMO_PROJECTS = 3000


def build_demo(*, size: int = 300, enterprises: int | None = None, seed: int = 20261121) -> DemoResult:
    """The whole demo, in one transaction per part; runs as the demo generator job."""
    from zonedesk.enterprises.models import IndustryCode
    from zonedesk.enterprises.reference import load_industries
    from zonedesk.geo.reference import load_regions

    builder = DemoBuilder(seed=seed)
    # Reference data comes from migrations, but a flushed database (demo --force on PostgreSQL)
    # has lost it: put back whatever is missing.
    load_regions(Region)
    load_industries(IndustryCode)
    with acting_as(None, source="job", label="演示数据生成"):
        with transaction.atomic():
            builder.build_organisation()
            builder.build_curated()
        if size:
            with transaction.atomic():
                builder.build_generated(projects=size, enterprises=enterprises)
        # The dispatch rhythm (plans, monthly reports, coordination issues) for the projects under
        # construction or about to be, capped so a province-scale build stays quick.
        from zonedesk.dispatch.demo import build_dispatch_demo

        active = (
            Project.objects.filter(stage__in=DISPATCHED_STAGES).order_by("id").values_list("pk", flat=True)
        )
        build_dispatch_demo(
            Zone.objects.all(), Project.objects.filter(pk__in=list(active[:DISPATCH_DEMO_PROJECTS]))
        )
    builder.result.projects += len(curated.PROJECTS)
    return builder.result
