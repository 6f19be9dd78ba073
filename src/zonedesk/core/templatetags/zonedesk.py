"""Number and date formats a Chinese government office expects: 1,234.56 万元, 2026年11月21日.

Figures are the same in both languages (万元 stays the unit; English pages name it "10k CNY");
dates read 2026年11月21日 in Chinese and 2026-11-21 in English.
"""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """万元 with thousands separators; ≥ 1 亿 also shown in 亿元 by the caller where useful."""
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def yi(value: Any) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(value) / 10000:,.2f}"


@register.filter
def cndate(value: Any) -> str:
    """2026年11月21日, or 2026-11-21 on English pages."""
    if not value:
        return "—"
    if (get_language() or "").startswith("en"):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return f"{value.year}年{value.month}月{value.day}日"


@register.simple_tag
def ui_strings() -> str:
    """The words the page scripts show (board dialog, chart legends), in the page's language, as JSON
    in <script id="ui-strings">: the scripts read them instead of holding Chinese of their own."""
    from django.utils.html import json_script
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    return json_script(
        {
            "choose": _("请选择"),
            "warning": _("（提示）"),
            "moving": _("正在推进…"),
            "network_error": _("网络错误，项目未推进，请重试"),
            "not_moved": _("未推进：项目仍在原阶段"),
            "funnel_tip": _("%(name)s：%(count)s 个，%(wan)s 万元"),
            # Chart legends and axis names sit on one line above a narrow chart: short words.
            "signed_count": _("签约项目数"),
            "signed_amount": pgettext("chart legend", "计入签约额（万元）"),
            "unit_count": pgettext("chart axis", "个"),
            "unit_wan": pgettext("chart axis", "万元"),
            "no_data": _("暂无数据"),
        },
        "ui-strings",
    )
