"""Dispatch pages follow the reader's language (Chinese by default, English when chosen); what users entered
stays as entered, and the bulletins stay Chinese whatever the page language (government documents)."""

import io
import re
import tomllib
from pathlib import Path

from django.utils import translation
from docx import Document

from zonedesk.dispatch import metrics
from zonedesk.testing.world import PASSWORD

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english(client, user):
    user.language = "en"
    user.save(update_fields=["language"])
    assert client.login(username=user.username, password=PASSWORD)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_dashboard_in_english(dw, client):
    english(client, dw.w.officer_a)
    html = client.get("/dispatch/", {"period": "2026-10", "zone": dw.w.zone_a.pk}).content.decode()
    assert "<h1>Dispatch dashboard · Oct 2026 · 长治高新区</h1>" in html
    for text in (
        "Annual plan completion",
        "Ahead of schedule",
        "Reporting status",
        "Red flags",
        "Behind schedule",
        "Start overdue",
        "Open coordination issues",
        "Download bulletin (Word)",
        "Reporting cycles",
        '<th class="num">Due</th>',
        "completion 0.00% (-83.29 pp)",
    ):
        assert text in visible_text(html).replace("\n", " ").replace("  ", " ") or text in html, text


def test_no_chinese_interface_text_left_on_english_pages(dw, client):
    """Every Chinese character on an English page is data: names of projects, units, zones, periods, issues."""
    english(client, dw.w.officer_a)
    data = {
        "长治高新区",
        "高新区月调度",
        "2026年10月",
        "2026年9月",
        "生物医药招商中心",
        "长治高新区管委会",
        "甲项目",
        "乙项目",
        "丙项目",
        "甲项目电力接入",
        "乙项目用地指标",
        "甲项目环评批复",
        "乙公司",
        "甲公司",
        "张副主任",
        "已接入",
        "已批复",
        "10月项目调度会",
        "规划分局11月10日前完成组卷",
        "主体结构完成80%",
        "电力接入待协调",
        "二期设备安装",
        "11月完成封顶",
        "长治高新技术产业开发区",
        "officer_a",
        "兴县经开区",
        "兴县月调度",
    }
    report = dw.oct_a.reports.get(project=dw.p1)
    pages = [
        "/dispatch/?period=2026-10",
        f"/dispatch/periods/{dw.oct_a.pk}/",
        "/dispatch/plans/?period=2026-10",
        "/dispatch/issues/",
        f"/dispatch/issues/{dw.issues[1].pk}/",
        "/dispatch/cycles/",
        "/dispatch/cycles/new/",
        f"/dispatch/cycles/{dw.cycle_a.pk}/edit/",
        f"/dispatch/reports/{report.pk}/",
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        main = visible_text(r.content.decode().split("<main", 1)[1].split("</main>", 1)[0])
        for name in sorted(data, key=len, reverse=True):
            main = main.replace(name, "")
        assert not CHINESE.findall(main), (url, sorted(set(CHINESE.findall(main))))


def test_form_errors_in_english(dw, client):
    english(client, dw.w.officer_a)
    r = client.post(
        "/dispatch/cycles/new/", {"zone": dw.w.zone_a.pk, "frequency": "monthly", "deadline_workdays": "0"}
    )
    html = r.content.decode()
    assert '<p class="error" data-field="name">Please fill in Name</p>' in html
    assert (
        '<p class="error" data-field="deadline_workdays">Deadline (working days after the period ends) must be at least 1</p>'
        in html
    )
    assert (
        '<p class="error" data-field="reporting_stages">Please fill in Project stages that must report</p>'
        in html
    )


def test_bulletin_stays_chinese_for_an_english_reader(dw, client):
    english(client, dw.w.officer_a)
    r = client.get("/dispatch/bulletin.docx", {"zone": dw.w.zone_a.pk, "period": "2026-10"})
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "长治高新区项目建设调度通报" in text and "一、主要指标" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"用地", "环评", "年度计划投资完成率", "超时限未开工项目数"} <= cells
    assert not {"Land use", "Annual plan completion", "Start overdue"} & cells


def test_reminder_is_written_in_the_recipients_language(dw):
    import datetime as dt

    from zonedesk.core.audit import acting_as
    from zonedesk.dispatch import services

    officer = dw.w.officer_a
    officer.language = "en"
    officer.save(update_fields=["language"])
    dw.cycle_a.dispatchers.set([officer])
    with acting_as(None, source="job", label="未报送提醒"):
        [outcome] = services.reminders_send(day=dt.date(2026, 11, 3), periods=[dw.oct_a])
    assert (
        outcome.notice.subject
        == "[Dispatch reminder] 长治高新区 2026年10月: 1 projects of 1 units have not reported"
    )
    assert outcome.notice.body.splitlines()[2] == (
        "Progress reports for 长治高新区 “高新区月调度” 2026年10月 (2026-10-01 to 2026-10-31) are due on 2026-11-04; "
        "1 working day left. As of 2026-11-03, 1 projects of these 1 units have not reported:"
    )
    assert outcome.notice.body.splitlines()[4] == "1. 生物医药招商中心: 2 due, 1 reported, 1 missing — 乙项目"


def test_every_kpi_label_in_the_configuration_has_an_english_translation():
    config = tomllib.loads(Path(metrics.KPI_FILE).read_text(encoding="utf-8"))
    labels = {k[f] for k in config["kpi"] for f in ("name", "description") if k.get(f)}
    units = {k["unit"] for k in config["kpi"]}
    assert labels == set(metrics.TOML_LABELS)
    with translation.override("zh-hans"):
        assert units == {str(u) for u in metrics.TOML_UNITS}
    with translation.override("en"):
        untranslated = [label for label in labels if translation.gettext(label) == label]
        untranslated += [u for u in units if translation.pgettext("指标单位", u) == u and u != "%"]
    assert untranslated == []
