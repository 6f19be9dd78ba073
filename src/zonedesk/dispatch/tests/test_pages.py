from zonedesk.dispatch.models import ProgressReport
from zonedesk.testing.world import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_dashboard_shows_missing_red_flags_and_tiles(dw, client):
    login(client, dw.w.officer_a)
    html = client.get("/dispatch/", {"period": "2026-10"}).content.decode()
    assert (
        "77.89" in html and "乙项目" in html and "甲项目电力接入" not in html
    )  # closed issues are not "open"
    assert "乙项目用地指标" in html
    assert "丁项目" not in html  # zone B is outside officer_a's reach


def test_period_page_and_report_form_submit(dw, client):
    login(client, dw.w.officer_a)
    r = client.post(
        f"/dispatch/periods/{dw.oct_a.pk}/report/",
        {
            "project": dw.p2.pk,
            "investment_period_wan": "300",
            "investment_cumulative_wan": "300",
            "physical_progress": "场平",
        },
    )
    assert r.status_code == 302
    rep = ProgressReport.objects.get(period=dw.oct_a, project=dw.p2)
    assert rep.investment_cumulative_wan == 300 and rep.submitted_by == dw.w.officer_a
    html = client.get(f"/dispatch/periods/{dw.oct_a.pk}/").content.decode()
    assert "已全部报送" in html


def test_sibling_zone_period_is_404(dw, client):
    login(client, dw.w.officer_b)
    assert client.get(f"/dispatch/periods/{dw.oct_a.pk}/").status_code == 404
    assert client.get(f"/dispatch/issues/{dw.issues[0].pk}/").status_code == 404


def test_bulletin_download_buttons(dw, client):
    login(client, dw.w.officer_a)
    r = client.get("/dispatch/bulletin.docx", {"zone": dw.w.zone_a.pk, "period": "2026-10"})
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.get("/dispatch/bulletin.pdf", {"zone": dw.w.zone_a.pk, "period": "2026-10"})
    assert r.status_code == 200 and r.content[:4] == b"%PDF"


def test_plans_and_issues_pages(dw, client):
    login(client, dw.w.officer_a)
    html = client.get("/dispatch/plans/", {"period": "2026-10"}).content.decode()
    assert "超前" in html and "滞后" in html
    html = client.get("/dispatch/issues/").content.decode()
    assert "生物医药招商中心" in html


def test_dashboard_red_flags_link_to_the_ledger_filters(dw, client):
    login(client, dw.w.officer_a)
    html = client.get("/dispatch/", {"period": "2026-10", "zone": dw.w.zone_a.pk}).content.decode()
    assert f'href="/projects/?zone={dw.w.zone_a.pk}&amp;overdue_start=1"' in html
    assert f'href="/projects/?zone={dw.w.zone_a.pk}&amp;status=behind"' in html
