"""The administration pages as an administrator uses them: Chinese, errors beside their fields,
nothing written on a refusal, English through the catalogues."""

from __future__ import annotations

import re

import pytest

from zonedesk.access.models import Grant, User
from zonedesk.testing.factories import administrators


@pytest.fixture
def zone_admin(world, client):
    admin = administrators(world)["zone_admin_a"]
    client.force_login(admin)
    return admin


def test_the_user_list_shows_the_zones_people_with_their_units_and_grants(world, zone_admin, client):
    html = client.get("/manage/users/").content.decode()
    assert re.findall(r'href="/manage/users/\d+/">([^<]+)<', html) == [
        "nogrant",
        "officer_a",
        "zone_admin_a",
        "centre",
        "own",
        "unit_admin",
    ]
    assert 'id="user-count">共 6 人<' in html
    assert "兴县" not in html
    assert "未授权" in html  # nogrant


def test_the_user_list_filters_by_unit_and_by_search(world, zone_admin, client):
    html = client.get(f"/manage/users/?unit={world.centre_a.pk}&q=own").content.decode()
    assert re.findall(r'href="/manage/users/\d+/">([^<]+)<', html) == ["own"]
    outside = client.get(f"/manage/users/?unit={world.centre_b.pk}").content.decode()
    assert (re.findall(r'href="/manage/users/\d+/"', outside), "没有符合条件的用户" in outside) == ([], True)


def test_creating_a_user_with_a_weak_password_says_why_beside_the_field_and_writes_nothing(
    world, zone_admin, client
):
    count = User.objects.count()
    resp = client.post(
        "/manage/users/new/",
        {"username": "newcomer", "full_name": "新同事", "password": "123", "unit": world.centre_a.pk},
    )
    html = resp.content.decode()
    assert resp.status_code == 422
    # The password policy's own message (identity.validators), beside the field.
    assert re.search(r'<p class="error" data-field="password">[^<]*密码至少需要 8 个字符，当前 3 个', html)
    assert User.objects.count() == count


def test_a_new_user_then_a_grant_through_the_pages(world, zone_admin, client):
    resp = client.post(
        "/manage/users/new/",
        {
            "username": "newcomer",
            "full_name": "新同事",
            "password": "Zd-2026-welcome",
            "unit": world.centre_a.pk,
        },
    )
    person = User.objects.get(username="newcomer")
    assert resp.status_code == 302 and resp["Location"] == f"/manage/users/{person.pk}/"
    resp = client.post(
        f"/manage/users/{person.pk}/grants/new/",
        {"role": world.roles["department_officer"].pk, "scope": "unit"},
    )
    assert resp.status_code == 302
    assert list(Grant.objects.filter(user=person).values_list("role__code", "scope")) == [
        ("department_officer", "unit")
    ]
    html = client.get(f"/manage/users/{person.pk}/").content.decode()
    assert "部门干部" in html and "本单位" in html and "新增授权" in html


def test_granting_a_sibling_zone_is_refused_beside_the_form(world, zone_admin, client):
    """Zone B is not even offered to a zone A administrator; the choice is refused as invalid."""
    resp = client.post(
        f"/manage/users/{world.centre_user.pk}/grants/new/",
        {"role": world.roles["viewer"].pk, "scope": "zone", "zone": world.zone_b.pk},
    )
    assert resp.status_code == 422
    assert 'data-field="zone"' in resp.content.decode()
    assert world.centre_user.grants.count() == 1


def test_granting_all_is_refused_with_the_services_reason(world, zone_admin, client):
    resp = client.post(
        f"/manage/users/{world.centre_user.pk}/grants/new/",
        {"role": world.roles["viewer"].pk, "scope": "all"},
    )
    assert resp.status_code == 422
    assert (
        '<p class="error" data-field="scope">只有管理全部单位的管理员才能授予“全部”数据范围</p>'
        in resp.content.decode()
    )
    assert world.centre_user.grants.count() == 1


def test_the_unit_tree_is_indented_by_depth(world, zone_admin, client):
    html = client.get("/manage/units/").content.decode()
    rows = re.findall(r'<tr data-depth="(\d+)">\s*<td[^>]*><span class="muted">[^<]*</span>([^<]+)<', html)
    assert rows == [("0", "长治高新区管委会"), ("1", "生物医药招商中心")]


def test_someone_who_administers_nothing_is_refused_every_page(world, client):
    client.force_login(world.officer_a)
    assert [client.get(url).status_code for url in ("/manage/", "/manage/users/", "/manage/zones/")] == [
        403
    ] * 3


def test_the_pages_read_in_english_through_the_catalogues(world, zone_admin, client):
    client.cookies["django_language"] = "en"
    html = client.get("/manage/users/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "User administration" in html and "New user" in html
