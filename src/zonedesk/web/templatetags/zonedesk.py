"""Number and date formats a Chinese government office expects: 1,234.56 万元, 2026年11月21日."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def wan(value):
    """万元 with thousands separators; ≥ 1 亿 also shown in 亿元 by the caller where useful."""
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


@register.filter
def yi(value):
    if value in (None, ""):
        return "—"
    return f"{Decimal(value) / 10000:,.2f}"


@register.filter
def cndate(value):
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"
