"""The bulletin's four charts (matplotlib, Agg), drawn from ``ChartInputs`` without reading the database."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..fonts import chart_font


@dataclass
class Chart:
    title: str
    png: bytes


# 7.2 in wide at 125 dpi → 900 px: 150 dpi at the 15 cm the documents print it.
CHART_WIDTH_IN = 7.2
CHART_DPI = 125
CHART_HEIGHTS_IN = (3.2, 3.0, 3.0, 3.0)
TOP_N = 15  # bars in the completion chart


@dataclass
class ChartInputs:
    """What the four charts show, gathered from the data first (so drawing reads no database)."""

    entity_label: str
    by_entity: list[tuple[str, Decimal, Decimal]]  # name, this year's plan, completed (largest plans first)
    stages: list[tuple[str, int]]
    year: int
    months: list[int]
    plan_cumulative: list[float]
    done_cumulative: list[float]
    issue_types: list[str]
    issues_closed: list[int]
    issues_open: list[int]


def text_pt(text: str, size: float) -> float:
    """A label's width in points, estimated without laying it out (CJK ≈ 1 em, Latin and digits ≈ 0.6 em).
    Laying out text to measure it (tight_layout) costs as much as drawing it."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def _wan_ticks(value: float, _pos: Any = None) -> str:
    return f"{value:,.0f}"


def draw_charts(inputs: ChartInputs) -> list[Chart]:
    """The four charts drawn on one Agg canvas in one pass, then cut into four PNGs. Margins are computed
    from the labels' lengths, so nothing is laid out twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory
    from PIL import Image

    chart_font()
    width, heights = CHART_WIDTH_IN, CHART_HEIGHTS_IN
    total_height = sum(heights)
    fig = Figure(figsize=(width, total_height), dpi=CHART_DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    pt = 1 / 72  # inches
    tick_pad = 10 * pt  # tick length + pad + a little air
    panels = []
    bottom_of = total_height

    def axes(height: float, left: float, bottom: float, top: float = 0.42, right: float = 0.15):
        nonlocal bottom_of
        bottom_of -= height
        panels.append(height)
        return fig.add_axes(
            (
                left / width,
                (bottom_of + bottom) / total_height,
                (width - left - right) / width,
                (height - bottom - top) / total_height,
            )
        )

    def title(ax, text: str) -> None:
        # A fixed place (y given): matplotlib otherwise measures the axis' tick labels to place it.
        ax.set_title(text, y=1.0, pad=6)

    def categories(
        ax, labels: list[str], *, axis: str = "x", fontsize: float = 8, rotation: float = 0
    ) -> None:
        """Category names as plain texts at 0, 1, 2…: a Tick per category (two marks, a grid line, two labels)
        costs three times as much to build and draw."""
        if axis == "x":
            ax.set_xticks([])
            where = blended_transform_factory(ax.transData, ax.transAxes) + ScaledTranslation(
                0, -4 * pt, fig.dpi_scale_trans
            )
            for i, text in enumerate(labels):
                ax.text(
                    i,
                    0,
                    text,
                    transform=where,
                    fontsize=fontsize,
                    va="top",
                    rotation=rotation,
                    ha="right" if rotation else "center",
                    rotation_mode="anchor" if rotation else "default",
                )
        else:
            ax.set_yticks([])
            where = blended_transform_factory(ax.transAxes, ax.transData) + ScaledTranslation(
                -4 * pt, 0, fig.dpi_scale_trans
            )
            for i, text in enumerate(labels):
                ax.text(0, i, text, transform=where, fontsize=fontsize, ha="right", va="center")

    def y_left(values: list[float], *, label: bool = True) -> float:
        longest = max((text_pt(_wan_ticks(v), 10) for v in values), default=10)
        return (longest + (16 if label else 0)) * pt + tick_pad + 0.08

    label = inputs.entity_label
    # 1. plan vs completed by unit / zone
    names = [n for n, _, _ in inputs.by_entity]
    plans = [float(p) for _, p, _ in inputs.by_entity]
    done = [float(d) for _, _, d in inputs.by_entity]
    longest_name = max((text_pt(n, 8) for n in names), default=8)
    peak = max(plans + done + [1.0])
    left = max(y_left([peak * 1.1]), longest_name * 0.87 * pt - 0.15)
    ax = axes(heights[0], left, bottom=(longest_name * 0.5 + 8 * 0.87) * pt + tick_pad + 0.05)
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], plans, width=0.4, label="年度计划", color="#9fb3c8")
    ax.bar([x + 0.2 for x in xs], done, width=0.4, label="累计完成", color="#1d4ed8")
    categories(ax, names, rotation=30)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(_wan_ticks))
    ax.set_ylabel("万元")
    title(ax, f"各{label}年度计划与累计完成投资")
    ax.legend(fontsize=8, loc="upper right")

    # 2. stage funnel
    stages = inputs.stages
    most = max([n for _, n in stages] + [1])
    ax = axes(
        heights[1], max(text_pt(s, 10) for s, _ in stages) * pt + tick_pad + 0.08, bottom=0.15, right=0.2
    )
    ax.barh(range(len(stages)), [n for _, n in stages][::-1], color="#0f766e")
    categories(ax, [s for s, _ in stages][::-1], axis="y", fontsize=10)
    for i, (_, n) in enumerate(stages[::-1]):
        ax.text(n, i, f" {n}", va="center", fontsize=8)
    ax.set_xlim(0, most * 1.1)
    ax.set_xticks([])  # every bar carries its count: an axis of counts would repeat them
    title(ax, "项目阶段分布（储备→达产）")

    # 3. trend: cumulative plan vs reported cumulative completion, month by month
    peak = max(inputs.plan_cumulative + inputs.done_cumulative + [1.0])
    ax = axes(heights[2], y_left([peak * 1.1]), bottom=0.38)
    at = range(len(inputs.months))
    ax.plot(at, inputs.plan_cumulative, marker="o", label="计划累计", color="#9a3412")
    ax.plot(at, inputs.done_cumulative, marker="s", label="完成累计", color="#1d4ed8")
    categories(ax, [f"{m}月" for m in inputs.months])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(_wan_ticks))
    ax.set_ylabel("万元")
    title(ax, f"{inputs.year}年投资完成趋势")
    ax.legend(fontsize=8, loc="upper left")

    # 4. coordination issues by type, open / closed
    peak = max([c + o for c, o in zip(inputs.issues_closed, inputs.issues_open)] + [1])
    ax = axes(heights[3], y_left([peak * 1.1], label=False), bottom=0.38)
    at = range(len(inputs.issue_types))
    ax.bar(at, inputs.issues_closed, label="已办结", color="#15803d")
    ax.bar(at, inputs.issues_open, bottom=inputs.issues_closed, label="办理中", color="#b45309")
    categories(ax, inputs.issue_types)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    title(ax, "协调事项分类办理情况")
    ax.legend(fontsize=8, loc="upper right")

    canvas.draw()
    image = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    ).convert("RGB")
    titles = (f"图1 各{label}投资完成情况", "图2 项目阶段漏斗", "图3 投资完成趋势", "图4 协调事项办理情况")
    charts, top = [], 0
    for caption, height in zip(titles, panels):
        rows = round(height * CHART_DPI)
        buf = io.BytesIO()
        # Level 1: the image is flat colour, so it compresses well anyway, and five times faster than 6.
        image.crop((0, top, image.width, top + rows)).save(buf, format="PNG", compress_level=1)
        charts.append(Chart(caption, buf.getvalue()))
        top += rows
    return charts
