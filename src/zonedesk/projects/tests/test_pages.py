"""Pages pass the same gate as the API: a sibling zone's project is a 404, not a 403."""

import pytest


@pytest.fixture
def pages(world):
    a = world.project(
        name="长治碳化硅衬底项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    b = world.project(world.zone_b, name="兴县绿电园区项目")
    return a, b


def test_login_required(world, client):
    resp = client.get("/projects/")
    assert (resp.status_code, resp.url) == (302, "/login/?next=/projects/")


def test_login_page_is_chinese(db, client):
    html = client.get("/login/").content.decode()
    assert '<html lang="zh-Hans">' in html and "用户名" in html and "密码" in html


def test_ledger_lists_only_own_zone(world, pages, client):
    client.force_login(world.officer_a)
    html = client.get("/projects/").content.decode()
    assert "长治碳化硅衬底项目" in html and "兴县绿电园区项目" not in html
    assert '<strong id="total-count">1</strong>' in html


def test_sibling_project_page_is_404(world, pages, client):
    client.force_login(world.officer_a)
    assert client.get(f"/projects/{pages[1].pk}/").status_code == 404
    assert client.get(f"/projects/{pages[1].pk}/edit/").status_code == 404
    assert (
        client.post(
            f"/projects/{pages[1].pk}/advance/",
            {"to_stage": "negotiating", "occurred_on": "2026-01-05", "version": pages[1].version},
        ).status_code
        == 404
    )


def test_project_page_shows_what_is_missing_and_advance_moves_it(world, pages, client):
    client.force_login(world.officer_a)
    project = pages[0]
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "下一阶段：<strong>在谈</strong>" in html and "条件已具备" in html
    resp = client.post(
        f"/projects/{project.pk}/advance/",
        {"to_stage": "signed", "occurred_on": "2026-01-05", "version": project.version},
    )
    assert resp.status_code == 302
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "不能进入“签约”阶段，缺少：投资方、协议类型、协议投资额（万元）" in html
    resp = client.post(
        f"/projects/{project.pk}/advance/",
        {"to_stage": "negotiating", "occurred_on": "2026-01-05", "version": project.version},
    )
    project.refresh_from_db()
    assert project.stage == "negotiating"


def test_follow_up_in_two_fields(world, pages, client):
    client.force_login(world.officer_a)
    resp = client.post(
        f"/projects/{pages[0].pk}/follow-up/", {"date": "2026-11-20", "kind": "visit", "summary": "走访企业"}
    )
    assert resp.status_code == 302
    pages[0].refresh_from_db()
    assert str(pages[0].last_follow_up_on) == "2026-11-20"


def test_date_inputs_carry_iso_values_the_browser_accepts(world, client):
    import datetime as dt

    project = world.project(name="日期项目", planned_start_date=dt.date(2026, 3, 5))
    client.force_login(world.officer_a)
    assert (
        'type="date" name="date" value="%s"' % dt.date.today().isoformat()
        in client.get(f"/projects/{project.pk}/").content.decode()
    )
    assert (
        'type="date" name="planned_start_date" value="2026-03-05"'
        in client.get(f"/projects/{project.pk}/edit/").content.decode()
    )


def test_ledger_board_and_project_page_show_the_same_days_in_stage(world, client):
    import datetime as dt
    import re

    from zonedesk.core.audit import acting_as
    from zonedesk.projects import services

    project = world.project(
        name="天数项目", pursuing_unit=world.centre_a.pk, responsible_officer=world.officer_a.pk
    )
    with acting_as(world.admin, source="test"):
        services.project_advance(
            user=world.admin,
            project=project,
            to_stage="negotiating",
            occurred_on=dt.date.today() - dt.timedelta(days=10),
        )
    client.force_login(world.officer_a)
    ledger = client.get("/projects/?cols=name,days_in_stage").content.decode()
    board = client.get("/board/").content.decode()
    page = client.get(f"/projects/{project.pk}/").content.decode()
    found = (
        re.search(r'>天数项目</a></td><td class="num">(-?\d+)</td>', ledger),
        re.search(
            r'id="card-%d">.*?<span title="在本阶段的天数">(-?\d+) 天</span>' % project.pk, board, re.S
        ),
        re.search(r"起，已 (-?\d+) 天）", page),
    )
    assert None not in found
    shown = tuple(m.group(1) for m in found if m is not None)
    assert shown == ("10", "10", "10")
