from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from zonedesk.core.models import ObjectChange
from zonedesk.intake.models import Evidence
from zonedesk.projects.models import Project

from .conftest import TEXT
from .makefiles import make_pdf

BASE = "/api/v1/intake"


def test_upload_a_pdf_and_get_candidates_with_matches(api_client, world, token_for):
    existing = world.project(name="生物医药产业园二期", total_investment_wan=Decimal("8000"))
    world.project(world.zone_b, name="生物医药产业园二期项目")  # sibling zone: never offered
    pdf = SimpleUploadedFile("r.pdf", make_pdf(TEXT.split("\n")), content_type="application/pdf")
    r = api_client.post(
        f"{BASE}/documents",
        {"zone": world.zone_a.pk, "file": pdf, "title": "报道"},
        **token_for(world.officer_a),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["title"], body["zone"]) == ("pdf", "报道", world.zone_a.pk)
    assert [(p["index"], p["name"], p["investment_wan"], p["stage"]) for p in body["projects"]] == [
        (0, "年产5万吨铝材项目", 32000, "signed"),
        (1, "生物医药产业园二期项目", 8000, "started"),
    ]
    assert body["projects"][1]["candidates"] == [
        {
            "id": existing.pk,
            "name": "生物医药产业园二期",
            "stage": "reserve",
            "total_investment_wan": "8000.00",
            "score": 1.5,
            "reasons": ["名称相同", "投资额相同"],
        }
    ]
    for p in body["projects"]:
        assert body["text"][p["start"] : p["end"]] == p["sentence"]
    assert all(body["text"][f["start"] : f["end"]] == f["text"] for f in body["facts"])


def test_paste_confirm_update_and_history(api_client, world, token_for):
    auth = token_for(world.officer_a)
    existing = world.project(name="生物医药产业园二期", total_investment_wan=Decimal("7000"))
    doc = api_client.post(
        f"{BASE}/documents/text",
        {"zone": world.zone_a.pk, "text": TEXT},
        content_type="application/json",
        **auth,
    ).json()
    r = api_client.post(
        f"{BASE}/documents/{doc['id']}/candidates/1/confirm",
        {"action": "update", "project": existing.pk},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    ev = Evidence.objects.get()
    assert r.json() == {
        "project": existing.pk,
        "action": "updated",
        "evidence": ev.pk,
        "sentence": "另悉，长治高新区生物医药产业园二期项目已开工，项目总投资8000万元。",
        "start": 56,
        "end": 91,
    }
    change = ObjectChange.objects.filter(object_id=existing.pk, content_type__model="project").latest("pk")
    assert (change.source, change.changes["total_investment_wan"]) == ("api", ["7000", "8000"])
    r = api_client.post(
        f"{BASE}/documents/{doc['id']}/candidates/0/confirm",
        {"action": "create"},
        content_type="application/json",
        **auth,
    )
    assert r.json()["action"] == "created"
    assert Project.objects.get(pk=r.json()["project"]).name == "年产5万吨铝材项目"
    again = api_client.get(f"{BASE}/documents/{doc['id']}", **auth).json()
    assert [p["decision"]["action"] for p in again["projects"]] == ["created", "updated"]


def test_api_errors_are_chinese_json(api_client, world, token_for):
    auth = token_for(world.officer_a)
    r = api_client.post(
        f"{BASE}/documents",
        {"zone": world.zone_a.pk, "file": SimpleUploadedFile("x.doc", b"\xd0\xcf")},
        **auth,
    )
    assert r.status_code == 422
    assert r.json()["fields"] == {
        "file": ["x.doc：不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后上传"]
    }
    r = api_client.post(
        f"{BASE}/documents/text",
        {"zone": world.zone_b.pk, "text": TEXT},
        content_type="application/json",
        **auth,
    )
    assert (r.status_code, r.json()["fields"]) == (422, {"zone": ["开发区不存在或无权访问"]})


def test_sibling_zone_users_cannot_see_or_confirm(api_client, world, token_for):
    doc = api_client.post(
        f"{BASE}/documents/text",
        {"zone": world.zone_a.pk, "text": TEXT},
        content_type="application/json",
        **token_for(world.officer_a),
    ).json()
    auth_b = token_for(world.officer_b)
    assert api_client.get(f"{BASE}/documents/{doc['id']}", **auth_b).status_code == 404
    r = api_client.post(
        f"{BASE}/documents/{doc['id']}/candidates/0/confirm",
        {"action": "create"},
        content_type="application/json",
        **auth_b,
    )
    assert r.status_code == 404 and Project.objects.count() == 0
    r = api_client.post(
        f"{BASE}/documents/text",
        {"zone": world.zone_a.pk, "text": TEXT},
        content_type="application/json",
        **token_for(world.nogrant),
    )
    assert r.status_code == 403 and Project.objects.count() == 0
