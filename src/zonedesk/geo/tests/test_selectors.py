"""Zones are found the way people name them on a command line: id, full name or alias."""

from zonedesk.access.scoping import restrict
from zonedesk.geo.models import Zone
from zonedesk.geo.selectors import find_zone, zone_short_name


def test_zone_is_found_by_id_name_or_alias_with_width_and_spaces_folded(world):
    zones = Zone.objects.all()
    assert find_zone(zones, str(world.zone_a.pk)) == world.zone_a
    assert find_zone(zones, " 长治高新技术产业开发区 ") == world.zone_a
    assert find_zone(zones, "兴县 经开区") == world.zone_b
    assert find_zone(zones, "长治高新區") == world.zone_a  # traditional 區
    assert find_zone(zones, "") is None
    assert find_zone(zones, "不存在开发区") is None


def test_an_alias_two_zones_share_finds_neither(world):
    Zone.objects.filter(pk=world.zone_b.pk).update(aliases=["高新区"])
    Zone.objects.filter(pk=world.zone_a.pk).update(aliases=["高新区"])
    assert find_zone(Zone.objects.all(), "高新区") is None


def test_a_zone_outside_the_scope_is_not_found(world):
    assert find_zone(restrict(world.officer_a, "view", Zone), world.zone_b.name) is None


def test_short_name_is_the_first_alias_else_the_full_name(world):
    assert zone_short_name(world.zone_a) == "长治高新区"
    Zone.objects.filter(pk=world.zone_b.pk).update(aliases=[])
    assert zone_short_name(Zone.objects.get(pk=world.zone_b.pk)) == "兴县经济技术开发区"
