"""The permission matrix for the enterprise endpoints, and the token and user commands."""

import json

import pytest

from zonedesk.enterprises.models import Enterprise


@pytest.fixture
def firms(world):
    a = world.enterprise("长治安博泰克生物科技有限公司", world.zone_a)
    b = world.enterprise("兴县稳卓汽车部件有限公司", world.zone_b)
    return {"a": a, "b": b}


# who → (names listed, status for read / update / delete on zone A's enterprise, create in own reach)
MATRIX = {
    "anonymous": (None, 401, 401, 401, 401),
    "nogrant": ([], 404, 404, 404, 403),
    "admin": (["兴县稳卓汽车部件有限公司", "长治安博泰克生物科技有限公司"], 200, 200, 204, 201),
    "officer_a": (["长治安博泰克生物科技有限公司"], 200, 200, 403, 201),
    "officer_b": (["兴县稳卓汽车部件有限公司"], 404, 404, 404, 201),
    "city_officer": (["长治安博泰克生物科技有限公司"], 200, 403, 403, 403),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_enterprise_matrix(world, firms, client, token_for, who):
    names, read, update, delete, create = MATRIX[who]
    headers = {} if who == "anonymous" else token_for(getattr(world, who))
    resp = client.get("/api/v1/enterprises", **headers)
    if names is None:
        assert resp.status_code == 401
    else:
        assert sorted(r["name"] for r in resp.json()["results"]) == names
        assert resp.json()["count"] == len(names)
    url = f"/api/v1/enterprises/{firms['a'].pk}"
    assert client.get(url, **headers).status_code == read
    resp = client.patch(
        url,
        data=json.dumps({"version": 1, "tags": ["high_tech"]}),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == update
    firms["a"].refresh_from_db()
    assert firms["a"].tags == (["high_tech"] if update == 200 else [])
    assert client.delete(url, **headers).status_code == delete
    assert Enterprise.objects.filter(pk=firms["a"].pk).exists() is (delete != 204)
    own_zone = getattr(world, who).unit.zone_id if who not in ("anonymous", "admin") else world.zone_a.pk
    resp = client.post(
        "/api/v1/enterprises",
        data=json.dumps({"name": "新设企业有限公司", "zone": own_zone}),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == create
    assert Enterprise.objects.filter(name="新设企业有限公司").exists() is (create == 201)


def test_enterprise_investing_in_a_visible_project_is_visible(world, firms, client, token_for):
    # 兴县's firm invests in a 长治 project: 长治's officer sees the firm through the project.
    world.project(name="跨区投资项目", investors=[firms["b"].pk])
    resp = client.get(f"/api/v1/enterprises/{firms['b'].pk}", **token_for(world.officer_a))
    assert resp.status_code == 200


def test_renaming_an_enterprise_keeps_its_former_name(world, firms, client, token_for):
    resp = client.patch(
        f"/api/v1/enterprises/{firms['a'].pk}",
        data=json.dumps({"version": 1, "name": "安博泰克（山西）生物医药有限公司"}),
        content_type="application/json",
        **token_for(world.admin),
    )
    assert resp.status_code == 200
    assert resp.json()["former_names"] == ["长治安博泰克生物科技有限公司"]


@pytest.mark.django_db(transaction=True)
def test_token_create_prints_a_working_token(capsys):
    from django.test import Client

    from zonedesk.cli import main
    from zonedesk.testing.world import build_world

    build_world()
    assert main(["token", "create", "--user", "officer_a"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("zd_") and len(token) > 30
    resp = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (resp.status_code, resp.json()["username"]) == (200, "officer_a")


@pytest.mark.django_db(transaction=True)
def test_user_create_reads_the_password_from_the_environment(monkeypatch, capsys):
    from zonedesk.access.models import User
    from zonedesk.cli import main
    from zonedesk.testing.world import build_world

    build_world()
    monkeypatch.setenv("NEW_PW", "a-long-enough-pass-2026")
    assert (
        main(
            [
                "user",
                "create",
                "wangfang",
                "--full-name",
                "王芳",
                "--unit",
                "长治市商务局",
                "--password-env",
                "NEW_PW",
            ]
        )
        == 0
    )
    user = User.objects.get(username="wangfang")
    assert (user.full_name, user.unit.name, user.check_password("a-long-enough-pass-2026")) == (
        "王芳",
        "长治市商务局",
        True,
    )
    monkeypatch.setenv("NEW_PW", "short")
    assert main(["user", "create", "lisi", "--password-env", "NEW_PW"]) == 2
    assert "密码不符合要求" in capsys.readouterr().err
