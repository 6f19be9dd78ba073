"""Chinese by default whatever the browser asks for; English one click away, kept per person, same page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings

from zonedesk.access.models import OrgUnit, User
from zonedesk.core.audit import acting_as
from zonedesk.core.models import ObjectChange
from zonedesk.enterprises.models import Enterprise, IndustryCode
from zonedesk.geo.models import Park, Region, Zone
from zonedesk.projects import services
from zonedesk.projects.models import FollowUp, Project, Requirement, StageLog

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@pytest.fixture
def projects(world):
    investor = world.enterprise(name="山西烁科晶体有限公司", tags=["high_tech"])
    signed = world.project(
        name="年产10万吨碳化硅衬底项目",
        total_investment_wan=Decimal("120000"),
        pursuing_unit=world.centre_a.pk,
        responsible_officer=world.officer_a.pk,
        leader_name="张副主任",
        park=world.park_a.pk,
        planned_start_date=dt.date(2026, 1, 10),
    )
    reserve = world.project(
        name="光伏组件项目",
        total_investment_wan=Decimal("8000"),
        status="behind",
        status_reason="企业资金未到位",
        status_date=dt.date(2026, 2, 1),
    )
    with acting_as(world.admin, source="test"):
        services.project_advance(
            user=world.admin,
            project=signed,
            to_stage="signed",
            occurred_on=dt.date(2026, 3, 16),
            data={
                "investors": [investor.pk],
                "agreement_type": "formal",
                "agreement_amount_wan": Decimal("100000"),
            },
        )
        services.followup_add(
            user=world.admin,
            project=signed,
            data={"date": dt.date(2026, 3, 20), "kind": "visit", "summary": "走访企业"},
        )
        services.project_set_hesitations(
            user=world.admin, project=reserve, reasons=[{"reason": "land"}], note=""
        )
        services.requirement_add(
            user=world.admin, project=signed, content="协调用电指标", raised_on=dt.date(2026, 3, 21)
        )
    return signed, reserve


def switch(client, language: str, next_url: str):
    return client.post("/language/", {"language": language, "next": next_url})


def data_texts() -> list[str]:
    """Every piece of user data a page may show (names, notes, free text): it stays as entered."""
    texts: list[str] = []
    for zone in Zone.objects.all():
        texts += [zone.name, *zone.aliases]
    texts += list(Park.objects.values_list("name", flat=True))
    for unit in OrgUnit.objects.all():
        texts += [unit.name, unit.short_name]
    for user in User.objects.all():
        texts += [user.full_name, user.username]
    for p in Project.objects.all():
        texts += [p.name, p.leader_name, p.status_reason, p.chain_node, p.hesitation_note, p.progress_note]
    texts += list(Enterprise.objects.values_list("name", flat=True))
    texts += list(Region.objects.values_list("name", flat=True))
    texts += list(IndustryCode.objects.values_list("name", flat=True))
    texts += list(ObjectChange.objects.values_list("note", flat=True))
    texts += list(ObjectChange.objects.values_list("actor_label", flat=True))
    texts += list(StageLog.objects.values_list("evidence", flat=True))
    texts += list(FollowUp.objects.values_list("summary", flat=True))
    texts += list(Requirement.objects.values_list("content", flat=True))
    return sorted({t for t in texts if t}, key=len, reverse=True)


def chrome_han(html: str) -> list[str]:
    """Han characters left once user data and the 中文 button (the way back) are taken out."""
    html = re.sub(r'<form[^>]*id="language-switch".*?</form>', "", html, flags=re.S)
    for text in data_texts():
        html = html.replace(text, "")
    return sorted({m.group(0) for m in HAN.finditer(html)})


def test_default_is_chinese_even_when_the_browser_asks_for_english(world, projects, client):
    html = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html and "<h1>登录</h1>" in html
    assert 'value="en" lang="en" class="link" title="Switch to English">English</button>' in html
    client.force_login(world.officer_a)
    resp = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en")
    html = resp.content.decode()
    assert resp["Content-Language"] == "zh-hans"
    assert "<h1>项目台账</h1>" in html and "总投资（万元）" in html


def test_switching_keeps_the_page_and_its_query_string_and_the_choice(world, projects, client):
    client.force_login(world.officer_a)
    resp = switch(client, "en", "/projects/?stage=signed&sort=name")
    assert (resp.status_code, resp.url) == (302, "/projects/?stage=signed&sort=name")
    assert resp.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.get(pk=world.officer_a.pk).language == "en"
    html = client.get(resp.url).content.decode()
    assert '<html lang="en">' in html and "<h1>Ledger</h1>" in html
    assert 'title="切换为中文">中文</button>' in html
    resp = switch(client, "zh-hans", "/projects/?stage=signed&sort=name")
    assert resp.url == "/projects/?stage=signed&sort=name"
    assert "<h1>项目台账</h1>" in client.get(resp.url).content.decode()
    assert User.objects.get(pk=world.officer_a.pk).language == "zh-hans"


def test_the_choice_follows_the_user_to_another_browser(world, projects, client):
    from django.test import Client

    client.force_login(world.officer_a)
    switch(client, "en", "/projects/")
    other = Client()
    other.force_login(User.objects.get(pk=world.officer_a.pk))
    resp = other.get("/projects/")
    assert "<h1>Ledger</h1>" in resp.content.decode()
    assert (
        resp.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    )  # so the login page speaks it after logout


def test_switching_works_logged_out_on_the_login_page(db, client):
    resp = switch(client, "en", "/login/?next=/projects/")
    assert (resp.status_code, resp.url) == (302, "/login/?next=/projects/")
    html = client.get(resp.url).content.decode()
    assert '<html lang="en">' in html and "<h1>Log in</h1>" in html
    assert "User name" in html and "Password" in html
    assert chrome_han(html) == []


def test_an_unknown_language_or_a_foreign_next_changes_nothing(world, client):
    client.force_login(world.officer_a)
    resp = switch(client, "fr", "https://example.com/")
    assert (resp.status_code, resp.url) == (302, "/")
    assert settings.LANGUAGE_COOKIE_NAME not in resp.cookies
    assert User.objects.get(pk=world.officer_a.pk).language == ""
    assert client.get("/language/").status_code == 405


def test_ledger_in_english(world, projects, client):
    client.force_login(world.officer_a)
    switch(client, "en", "/projects/")
    html = client.get("/projects/").content.decode()
    for label in (
        "<title>Ledger · Development zone investment ledger</title>",
        ">Board</a>",
        ">Dashboard</a>",
        ">Import / export</a>",
        ">Text intake</a>",
        "Total investment (10k CNY)",
        "Signing date",
        "Responsible unit",
        "All stages",
        "More filters",
        "Export this view (Excel)",
        "Log out",
        '<strong id="total-count">2</strong> projects, total investment '
        '<strong id="total-investment">128,000</strong> × 10k CNY (12.80 × 100M CNY)',
        ">Signed</td>",
        ">Behind</span>",
        "2026-03-16",
        "Page 1 of 1",
    ):
        assert label in html, label
    assert chrome_han(html) == []


def test_board_in_english(world, projects, client):
    client.force_login(world.officer_a)
    switch(client, "en", "/board/")
    html = client.get("/board/").content.decode()
    for label in (
        "<h1>Pipeline board</h1>",
        "<h2>Reserve</h2>",
        "<h2>Landed (in zone)</h2>",
        "1 project · 12.00 × 100M CNY",
        "120,000 × 10k CNY",
        "Advance to next stage →",
        "Cannot advance yet",
        "Fill in and advance",
        '"no_data": "No data yet"',
    ):
        assert label in html, label
    assert chrome_han(html) == []


def test_project_page_in_english(world, projects, client):
    signed = projects[0]
    client.force_login(world.officer_a)
    switch(client, "en", f"/projects/{signed.pk}/")
    signed.refresh_from_db()  # the version the page shows
    html = client.get(f"/projects/{signed.pk}/").content.decode()
    for label in (
        'Stage <strong id="stage">Signed</strong> (since 2026-03-16',
        "Next stage: <strong>Landed (in zone)</strong>",
        "Missing to enter “Landed (in zone)”:",
        "Total investment (10k CNY)",
        "<h2>Agreement</h2>",
        "Formal contract",
        "Land area (mu)",
        "<h2>Follow-ups</h2>",
        "2026-03-20</time> Visit",
        "<h2>Change history</h2>",
        "<td>Advance stage</td>",
        "Target stage",
        "Hesitation reasons",
        "Energy quota",
        "(Open)",
        "(skipped ahead, admin)",
    ):
        assert label in html, label
    assert chrome_han(html) == []


def test_dashboard_in_english(world, projects, client):
    client.force_login(world.officer_a)
    switch(client, "en", "/dashboard/")
    html = client.get("/dashboard/").content.decode()
    for label in (
        "<h1>Investment dashboard</h1>",
        "Projects in the ledger",
        "Stage funnel",
        "Signings, last 12 months",
        "Stage conversion and time taken",
        "<td>Signed→Landed</td>",
        "Behind schedule",
        "Start overdue",
        "No follow-up for 30+ days",
        '"signed_count": "Signed"',
    ):
        assert label in html, label
    assert '"labels": ["Reserve", "Negotiating", "Signed", "Landed (in zone)"' in html
    assert chrome_han(html) == []


def test_not_found_and_forbidden_pages_speak_the_chosen_language(world, client):
    client.force_login(world.city_officer)  # may view and follow up projects, not create them
    resp = client.get("/projects/999999/")
    assert (resp.status_code, "<h1>未找到</h1>" in resp.content.decode()) == (404, True)
    switch(client, "en", "/projects/")
    resp = client.get("/projects/999999/")
    html = resp.content.decode()
    assert (resp.status_code, "<h1>Not found</h1>" in html, chrome_han(html)) == (404, True, [])
    resp = client.get("/intake/")
    html = resp.content.decode()
    assert resp.status_code == 403
    assert "<h1>Not allowed</h1>" in html and "You are not allowed to create or change projects" in html
    assert chrome_han(html) == []


def test_history_the_system_keeps_stays_chinese_when_working_in_english(world, projects, client):
    signed, reserve = projects
    client.force_login(world.officer_a)
    switch(client, "en", f"/projects/{signed.pk}/")
    signed.refresh_from_db()  # the version the page shows
    resp = client.post(
        f"/projects/{signed.pk}/advance/",
        {"to_stage": "landed", "occurred_on": "2026-03-25", "version": signed.version},
    )
    assert "Moved to “Landed (in zone)”" in client.get(resp.url).content.decode()
    note = ObjectChange.objects.filter(object_id=signed.pk, action="advance").order_by("-id").first().note
    assert note == "签约 → 落地（入区）（推进）"  # the record, in the installation's language
    resp = client.post(
        f"/projects/{reserve.pk}/advance/",
        {"to_stage": "negotiating", "occurred_on": "2026-03-01", "version": reserve.version},
    )
    html = client.get(resp.url).content.decode()
    assert "Cannot enter “Negotiating”; missing: Responsible unit, Officer in charge" in html


def test_excel_export_keeps_the_chinese_labels_for_an_english_user(world, projects, client):
    client.force_login(world.officer_a)
    switch(client, "en", "/projects/")
    resp = client.get("/ledger-io/export/?format=csv")
    assert resp.status_code == 200
    text = (
        resp.content.decode("utf-8-sig")
        if resp.content.startswith(b"\xef\xbb\xbf")
        else resp.content.decode("gb18030")
    )
    assert "正式合同" in text and "签约" in text and "Formal contract" not in text and "Signed" not in text
