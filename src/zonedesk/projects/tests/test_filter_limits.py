"""The ledger's filters refuse what the database cannot take — NaN and Infinity, ids beyond 64 bits, dates
outside 1900–2100, NUL — on the ledger and board pages (the filter is left out and the page says why) and
on the export (refused, nothing written), as the API refuses them (core/tests/test_input_limits.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict

from zonedesk.projects.selectors import ProjectFilters

BIG = 2**63


def test_parse_query_refuses_out_of_range_values_naming_each():
    filters, refused = ProjectFilters.parse_query(
        QueryDict(
            f"zone={BIG}&investment_min=NaN&investment_max=Infinity&signed_from=0001-01-01"
            "&no_follow_up_days=99999999&park=3&started_to=2100-12-31"
        )
    )
    assert filters == ProjectFilters(park=3, started_to=dt.date(2100, 12, 31))
    assert refused == {
        "zone": ["超出范围（…–9223372036854775807）"],
        "investment_min": ["应为有限数字"],
        "investment_max": ["应为有限数字"],
        "signed_from": ["日期应在 1900 年至 2100 年之间"],
        "no_follow_up_days": ["超出范围（…–36500）"],
    }


def test_from_query_still_ignores_what_does_not_parse():
    assert ProjectFilters.from_query(QueryDict("zone=x&investment_min=1e3&officer=0")) == ProjectFilters(
        investment_min=Decimal("1E+3")
    )


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_ledger_page_with_non_finite_investment_shows_the_refusal(world, client, value):
    world.project(name="长治碳化硅衬底项目")
    client.force_login(world.officer_a)
    resp = client.get(f"/projects/?investment_min={value}")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "筛选条件 investment_min 未应用：应为有限数字" in html
    assert "长治碳化硅衬底项目" in html


def test_ledger_page_with_a_page_number_beyond_64_bits_shows_the_last_page(world, client):
    world.project(name="长治碳化硅衬底项目")
    client.force_login(world.officer_a)
    resp = client.get("/projects/?page=99999999999999999999")
    assert resp.status_code == 200
    assert "长治碳化硅衬底项目" in resp.content.decode()


def test_board_with_an_id_beyond_64_bits_shows_the_refusal(world, client):
    client.force_login(world.officer_a)
    resp = client.get(f"/board/?zone={BIG}")
    assert resp.status_code == 200
    assert "筛选条件 zone 未应用：超出范围（…–9223372036854775807）" in resp.content.decode()


def test_board_move_of_a_project_id_beyond_64_bits_is_404(world, client):
    client.force_login(world.officer_a)
    resp = client.post("/board/move/", {"project": str(2**70), "to_stage": "negotiating"})
    assert resp.status_code == 404


def test_export_with_nan_filter_is_refused_and_writes_nothing(world, client):
    world.project(name="长治碳化硅衬底项目")
    client.force_login(world.officer_a)
    resp = client.get("/ledger-io/export/?format=csv&investment_max=NaN", follow=True)
    assert resp.redirect_chain == [("/ledger-io/", 302)]
    assert "筛选条件 investment_max 有误：应为有限数字" in resp.content.decode()
