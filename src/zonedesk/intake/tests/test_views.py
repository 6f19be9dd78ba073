import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zonedesk.core.models import ObjectChange
from zonedesk.intake.models import SourceDocument
from zonedesk.projects.models import Project

from .conftest import TEXT
from .makefiles import encrypt_pdf, make_docx, make_pdf


def login(client, user):
    client.force_login(user)
    return client


def test_the_page_is_in_the_top_bar_and_closed_to_users_who_cannot_write(client, world):
    page = login(client, world.officer_a).get(reverse("intake:home"))
    assert page.status_code == 200
    assert '<a href="/intake/" aria-current="page">文本提取</a>' in page.content.decode()
    client.logout()
    assert login(client, world.city_officer).get(reverse("intake:home")).status_code == 403
    client.logout()
    assert client.get(reverse("intake:home")).status_code == 302  # to the login page


def test_pasted_text_is_shown_with_its_evidence_marked(client, world):
    login(client, world.officer_a)
    r = client.post(reverse("intake:home"), {"zone": world.zone_a.pk, "text": TEXT, "title": ""})
    doc = SourceDocument.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/intake/{doc.pk}/"
    assert (
        doc.title
        == "长治高新区举行重点项目集中签约。其中，山西华兴新材料有限公司年产5万吨铝材项目总投资3.2亿元，占地120亩。"[
            :60
        ]
    )
    html = client.get(r["Location"]).content.decode()
    assert re.search(r'<mark class="ev" id="ev-0"[^>]*>其中，', html)
    assert '<span class="fact k-money" id="f-' in html and ">3.2亿元</span>" in html
    assert 'href="#ev-1"' in html and 'id="cand-1"' in html
    assert html.count("<mark") == html.count("</mark>") == 2


def test_upload_errors_are_shown_in_chinese_and_nothing_is_stored(client, world):
    login(client, world.officer_a)
    bad = SimpleUploadedFile("secret.pdf", encrypt_pdf(make_pdf([TEXT])), content_type="application/pdf")
    r = client.post(reverse("intake:home"), {"zone": world.zone_a.pk, "file": bad})
    assert r.status_code == 422
    assert "secret.pdf：PDF 已加密，需要密码才能打开，请解除密码后上传" in r.content.decode()
    r = client.post(reverse("intake:home"), {"zone": "", "text": TEXT})
    assert r.status_code == 422 and "请选择开发区" in r.content.decode()
    r = client.post(reverse("intake:home"), {"zone": world.zone_a.pk, "text": ""})
    assert r.status_code == 422 and "请粘贴文本或选择文件" in r.content.decode()
    assert SourceDocument.objects.count() == 0


def test_docx_and_pdf_uploads_give_the_same_candidates(client, world):
    login(client, world.officer_a)
    lines = TEXT.split("\n")
    for name, data in (("r.docx", make_docx(lines)), ("r.pdf", make_pdf(lines))):
        client.post(reverse("intake:home"), {"zone": world.zone_a.pk, "file": SimpleUploadedFile(name, data)})
    docx_doc, pdf_doc = SourceDocument.objects.order_by("pk")
    assert (docx_doc.kind, pdf_doc.kind) == ("docx", "pdf")
    for doc in (docx_doc, pdf_doc):
        assert [(p["name"], p["investment_wan"]) for p in doc.extraction["projects"]] == [
            ("年产5万吨铝材项目", 32000),
            ("生物医药产业园二期项目", 8000),
        ]


def test_confirm_in_the_browser_creates_the_project_and_history(client, world, document):
    login(client, world.officer_a)
    page = client.get(reverse("intake:document", args=[document.pk])).content.decode()
    assert "本开发区内没有相似的已有项目。" in page
    r = client.post(
        reverse("intake:confirm", args=[document.pk, 1]),
        {
            "target": "new",
            "stage": "reserve",
            "name": "生物医药产业园二期项目",
            "investment_wan": "8000",
            "currency": "CNY",
            "enterprise": "",
            "land_mu": "",
            "floor_area_m2": "",
        },
    )
    assert r.status_code == 302 and r["Location"] == f"/intake/{document.pk}/#cand-1"
    p = Project.objects.get()
    assert (p.name, str(p.total_investment_wan), p.zone_id) == (
        "生物医药产业园二期项目",
        "8000.00",
        world.zone_a.pk,
    )
    assert (
        ObjectChange.objects.filter(object_id=p.pk, content_type__model="project", source="web").count() == 1
    )
    page = client.get(r["Location"]).content.decode()
    assert "已新建项目“生物医药产业园二期项目”，原句已存为依据" in page
    assert f'href="/projects/{p.pk}/"' in page


def test_an_existing_similar_project_is_offered_and_updated(client, world, document):
    existing = world.project(name="年产5万吨铝材（一期）")
    login(client, world.officer_a)
    page = client.get(reverse("intake:document", args=[document.pk])).content.decode()
    assert f'value="{existing.pk}" checked> 更新已有：年产5万吨铝材（一期）（名称包含）' in page
    client.post(
        reverse("intake:confirm", args=[document.pk, 0]),
        {
            "target": str(existing.pk),
            "name": "年产5万吨铝材项目",
            "investment_wan": "32000",
            "currency": "CNY",
            "land_mu": "120",
            "floor_area_m2": "",
            "enterprise": "",
        },
    )
    existing.refresh_from_db()
    assert (existing.name, str(existing.total_investment_wan), str(existing.land_area_mu)) == (
        "年产5万吨铝材（一期）",
        "32000.00",
        "120.00",
    )


def test_the_project_evidence_snippet_shows_the_sentence(world, document, rf):
    from django.template.loader import render_to_string

    from zonedesk.core.audit import acting_as
    from zonedesk.intake.services import candidate_confirm

    with acting_as(world.officer_a, source="web"):
        ev = candidate_confirm(user=world.officer_a, document=document, index=0, action="create", values={})
    html = render_to_string("intake/_project_evidence.html", {"project": ev.project})
    assert f'<a href="/intake/{document.pk}/#ev-0">集中签约报道</a>' in html
    assert (
        "<blockquote>其中，山西华兴新材料有限公司年产5万吨铝材项目总投资3.2亿元，占地120亩。</blockquote>"
        in html
    )


def test_another_zones_document_is_not_found(client, world, document):
    login(client, world.officer_b)
    assert client.get(reverse("intake:document", args=[document.pk])).status_code == 404
    r = client.post(reverse("intake:confirm", args=[document.pk, 0]), {"target": "new"})
    assert r.status_code == 404 and Project.objects.count() == 0
