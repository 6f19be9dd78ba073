"""Zone and park writes from the administration pages: within the administrator's reach, with history."""

from __future__ import annotations

import pytest

from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted
from zonedesk.core.models import ObjectChange
from zonedesk.geo import services
from zonedesk.geo.models import Park, Region, Zone
from zonedesk.testing.factories import administrators
from zonedesk.testing.permissions import state


@pytest.fixture
def admins(world):
    return administrators(world)


def refused(by, call, **kwargs) -> str:
    before = state((Zone, Park))
    with acting_as(by, source="test"), pytest.raises(NotPermitted) as exc:
        call(by=by, **kwargs)
    assert state((Zone, Park)) == before
    return exc.value.message


def test_only_an_administrator_of_every_zone_sets_up_a_new_zone(world, admins):
    fields = {
        "name": "潞城经济技术开发区",
        "kind": "etdz",
        "level": "provincial",
        "region": Region.objects.get(pk="140400"),
    }
    assert (
        refused(admins["zone_admin_a"], services.zone_create, **fields)
        == "只有管理全部开发区的管理员才能新建开发区"
    )
    with acting_as(world.admin, source="web"):
        zone = services.zone_create(by=world.admin, **fields)
    assert (
        ObjectChange.objects.filter(content_type__model="zone", object_id=zone.pk, action="create").count()
        == 1
    )


def test_a_zone_administrator_edits_their_zone_and_its_parks_not_the_sibling(world, admins):
    by = admins["zone_admin_a"]
    with acting_as(by, source="web"):
        zone = services.zone_update(
            by=by,
            zone=world.zone_a,
            name=world.zone_a.name,
            kind="high_tech",
            level="national",
            region=world.zone_a.region,
            aliases=["长治高新区", " 高新区 ", ""],
        )
        park = services.park_create(by=by, zone=zone, name="新材料产业园", area_mu="1200")
    assert zone.aliases == ["长治高新区", "高新区"]
    change = ObjectChange.objects.filter(content_type__model="zone", object_id=zone.pk).first()
    assert (change.changes, change.actor_label) == (
        {"aliases": [["长治高新区"], ["长治高新区", "高新区"]]},
        "zone_admin_a",
    )
    assert (park.zone_id, str(park.area_mu)) == (world.zone_a.pk, "1200")
    zone_b = {
        "zone": world.zone_b,
        "name": "x",
        "kind": "etdz",
        "level": "provincial",
        "region": world.zone_b.region,
    }
    assert refused(by, services.zone_update, aliases=[], **zone_b) == "您无权修改该开发区"
    assert refused(by, services.park_create, zone=world.zone_b, name="外区园") == "您无权修改该开发区"
    assert (
        refused(admins["zone_admin_b"], services.park_update, park=world.park_a, name="改名")
        == "您无权修改该园区"
    )
