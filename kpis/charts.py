"""SPC charts: one definition (`Chart`), two renderers.

`render_svg` builds accessible SVG by string building (fast enough for a page of charts, no
client-side library, no inline style: presentation attributes only, which the CSP allows).
`render_png` draws the same definition with matplotlib's Agg backend for the board paper.

Colours follow Making Data Count: orange for concern, blue for improvement, purple for
neither, grey for common cause; each also has its own marker shape so the chart reads in
greyscale, and every chart carries a text description (and the page a table of values).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from html import escape

from . import spc

COLOURS = {
    "improvement": "#005EB8",  # NHS Blue
    "concern": "#D9670E",  # orange, 3.6:1 on white
    "neutral": "#330072",  # NHS Purple
    "common": "#768692",  # NHS Mid Grey, 3.8:1 on white
}
LINE_COLOUR = "#425563"
TARGET_COLOUR = "#DA291C"
CLOSURE_COLOUR = "#003087"
TEXT_COLOUR = "#212B32"
KIND_BY_POINT_TYPE = {
    spc.COMMON_CAUSE: "common",
    spc.SPECIAL_CAUSE_IMPROVEMENT: "improvement",
    spc.SPECIAL_CAUSE_CONCERN: "concern",
    spc.SPECIAL_CAUSE_NEUTRAL: "neutral",
}
KIND_LABELS = {
    "common": "Common cause",
    "improvement": "Special cause improvement",
    "concern": "Special cause concern",
    "neutral": "Special cause, neither better nor worse",
}
LEGEND = (
    ("common", "Common cause"),
    ("", "Special cause:"),
    ("improvement", "improvement"),
    ("concern", "concern"),
    ("neutral", "neither better nor worse"),
)
# Marker shapes by kind, for greyscale: circle, square, diamond, triangle
MARKERS = {"common": "o", "improvement": "s", "concern": "D", "neutral": "^"}

ICON_LETTERS = {
    "common_cause": "",
    "improvement_high": "H",
    "improvement_low": "L",
    "concern_high": "H",
    "concern_low": "L",
    "neutral_high": "H",
    "neutral_low": "L",
    "consistent_pass": "P",
    "consistent_fail": "F",
    "inconsistent": "?",
}
ICON_KIND = {
    "common_cause": "common",
    "improvement_high": "improvement",
    "improvement_low": "improvement",
    "concern_high": "concern",
    "concern_low": "concern",
    "neutral_high": "neutral",
    "neutral_low": "neutral",
    "consistent_pass": "improvement",
    "consistent_fail": "concern",
    "inconsistent": "common",
}


@dataclass(frozen=True)
class ChartPoint:
    x: int
    day: dt.date
    value: float | None
    kind: str  # common, improvement, concern, neutral
    rule: str  # the package's label, e.g. "7 Points Above CL"


@dataclass(frozen=True)
class ChartSegment:
    first: int
    last: int
    mean: float | None
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Chart:
    """What an SPC chart shows, independent of how it is drawn."""

    title: str
    unit: str
    points: tuple[ChartPoint, ...]
    segments: tuple[ChartSegment, ...]
    target: float | None
    variation: str | None
    variation_label: str
    assurance: str | None
    assurance_label: str
    closure_x: float | None = None
    closure_label: str = ""
    description: str = ""

    @property
    def has_values(self) -> bool:
        return any(p.value is not None for p in self.points)


def build_chart(row) -> Chart:
    """The chart of a `kpis.selectors.KpiAnalysis` (closure marked when it has one)."""
    kpi = row.kpi
    unit = "%" if kpi.unit == "percentage" else (kpi.unit_label or kpi.get_unit_display().lower())
    points: list[ChartPoint] = []
    segments: list[ChartSegment] = []
    if row.analysis is not None:
        for measurement, point in zip(row.measurements, row.analysis.points, strict=True):
            points.append(
                ChartPoint(
                    x=point.index,
                    day=measurement.period_end,
                    value=point.value,
                    kind=KIND_BY_POINT_TYPE[point.point_type],
                    rule=point.label,
                )
            )
        segments = [
            ChartSegment(s.start, s.stop - 1, s.mean, s.lower_limit, s.upper_limit)
            for s in row.analysis.segments
        ]
    closure_x = None
    closure_label = ""
    if row.closure_date is not None and points:
        closure_x = (row.closure_index or 0) - 0.5
        closure_label = f"Root cause closed {row.closure_date:%d/%m/%Y}"
    chart = Chart(
        title=kpi.name,
        unit=unit,
        points=tuple(points),
        segments=tuple(segments),
        target=None if kpi.target is None else float(kpi.target),
        variation=row.variation,
        variation_label=row.variation_label,
        assurance=row.assurance,
        assurance_label=row.assurance_label,
        closure_x=closure_x,
        closure_label=closure_label,
    )
    return Chart(**{**chart.__dict__, "description": describe(chart)})


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "none"
    text = f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    text = text.removesuffix(".0")
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def describe(chart: Chart) -> str:
    """The chart in words: its text alternative."""
    values = [p for p in chart.points if p.value is not None]
    if not values:
        return f"{chart.title}: no values recorded yet."
    first, last = chart.points[0].day, chart.points[-1].day
    parts = [
        f"SPC chart of {len(values)} value{'s' if len(values) != 1 else ''} "
        f"from {first:%d %B %Y} to {last:%d %B %Y}.",
        f"Latest value {number(values[-1].value, chart.unit)} for the period ending "
        f"{values[-1].day:%d %B %Y}.",
    ]
    segment = chart.segments[-1]
    if segment.lower is None:
        parts.append(f"Mean {number(segment.mean, chart.unit)}; too few values for limits.")
    else:
        parts.append(
            f"Mean {number(segment.mean, chart.unit)}, process limits "
            f"{number(segment.lower, chart.unit)} to {number(segment.upper, chart.unit)}."
        )
    if len(chart.segments) > 1:
        parts.append(f"The chart has {len(chart.segments)} segments after process changes.")
    if chart.target is not None:
        parts.append(f"Target {number(chart.target, chart.unit)}.")
    counts = {kind: sum(p.kind == kind for p in values) for kind in KIND_LABELS}
    special = [
        f"{counts[kind]} {KIND_LABELS[kind].lower()}"
        for kind in ("improvement", "concern", "neutral")
        if counts[kind]
    ]
    parts.append(
        ("Special cause points: " + ", ".join(special) + ".")
        if special
        else "No special cause points."
    )
    if chart.closure_label:
        parts.append(chart.closure_label + ".")
    parts.append(f"Variation: {chart.variation_label}. Assurance: {chart.assurance_label}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Scales


def _nice_step(span: float, count: int = 5) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def y_range(chart: Chart) -> tuple[float, float, list[float]]:
    numbers = [p.value for p in chart.points if p.value is not None]
    for segment in chart.segments:
        numbers += [v for v in (segment.mean, segment.lower, segment.upper) if v is not None]
    if chart.target is not None:
        numbers.append(chart.target)
    if not numbers:
        return 0.0, 1.0, [0.0, 1.0]
    low, high = min(numbers), max(numbers)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    ticks = []
    tick = low
    while tick <= high + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return low, high, ticks


def x_ticks(chart: Chart, most: int = 8) -> list[int]:
    n = len(chart.points)
    if n == 0:
        return []
    step = max(1, math.ceil(n / most))
    ticks = list(range(n - 1, -1, -step))[::-1]  # always label the latest
    return ticks


def tick_label(day: dt.date) -> str:
    return f"{day:%d %b %y}"


# ---------------------------------------------------------------------------------------------
# SVG

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 60, 36, 56, 64


def _marker_svg(kind: str, x: float, y: float, size: float) -> str:
    colour = COLOURS[kind]
    if kind == "improvement":
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" fill="{colour}"/>'
    if kind == "concern":
        s = size * 1.35
        return f'<path d="M{x:.1f} {y - s:.1f}L{x + s:.1f} {y:.1f}L{x:.1f} {y + s:.1f}L{x - s:.1f} {y:.1f}Z" fill="{colour}"/>'
    if kind == "neutral":
        s = size * 1.3
        return f'<path d="M{x:.1f} {y - s:.1f}L{x + s:.1f} {y + s * 0.8:.1f}L{x - s:.1f} {y + s * 0.8:.1f}Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size * 0.8:.1f}" fill="{colour}"/>'


def icon_svg(name: str | None, *, label: str = "", size: int = 40, decorative: bool = False) -> str:
    """A Making Data Count icon: a ring in the icon's colour, with H/L (variation), P/F/?
    (assurance) or a dotted line (common cause). `label` is its text alternative."""
    if not name:
        return ""
    kind = ICON_KIND[name]
    colour = COLOURS[kind]
    letter = ICON_LETTERS[name]
    a11y = (
        'aria-hidden="true" focusable="false"'
        if decorative
        else f'role="img" aria-label="{escape(label)}"'
    )
    title = "" if decorative else f"<title>{escape(label)}</title>"
    inner = (
        f'<text x="20" y="26.5" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="18" font-weight="bold" fill="{colour}">{escape(letter)}</text>'
        if letter
        else "".join(
            f'<circle cx="{cx}" cy="{cy}" r="2.6" fill="{colour}"/>'
            for cx, cy in ((10, 22), (15, 18), (20, 22), (25, 18), (30, 22))
        )
    )
    arrow = ""
    if name.endswith("_high"):
        arrow = f'<path d="M31 13l3.5-4.5 3.5 4.5z" fill="{colour}"/>'
    elif name.endswith("_low"):
        arrow = f'<path d="M31 27l3.5 4.5 3.5-4.5z" fill="{colour}"/>'
    return (
        f'<svg class="spc-icon" width="{size}" height="{size}" viewBox="0 0 40 40" {a11y}>'
        f"{title}"
        f'<circle cx="20" cy="20" r="17" fill="#ffffff" stroke="{colour}" stroke-width="3"/>'
        f"{inner}{arrow}</svg>"
    )


def render_svg(chart: Chart, *, uid: str = "spc") -> str:
    """The chart as an accessible SVG string (role="img" with a title and a description)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(chart.points), 1)
    low, high, yticks = y_range(chart)

    def sx(x: float) -> float:
        return LEFT + (x + 0.5) * plot_w / n

    def sy(y: float) -> float:
        return TOP + plot_h - (y - low) / (high - low) * plot_h

    uid = escape(uid)
    out = [
        f'<svg class="spc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="Arial, sans-serif" font-size="12">',
        f'<title id="{uid}-title">{escape(chart.title)}</title>',
        f'<desc id="{uid}-desc">{escape(chart.description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Axes and grid
    for tick in yticks:
        y = sy(tick)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e8edee"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(number(tick, chart.unit))}</text>"
        )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="{LINE_COLOUR}"/>'
    )
    for index in x_ticks(chart):
        x = sx(index)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP + plot_h}" x2="{x:.1f}" y2="{TOP + plot_h + 5}" stroke="{LINE_COLOUR}"/>'
            f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" fill="{TEXT_COLOUR}">'
            f"{escape(tick_label(chart.points[index].day))}</text>"
        )
    # Mean and limits per segment
    for segment in chart.segments:
        x1, x2 = sx(segment.first - 0.4), sx(segment.last + 0.4)
        if segment.mean is not None:
            y = sy(segment.mean)
            out.append(
                f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="{LINE_COLOUR}" stroke-width="1.5"/>'
            )
        for limit in (segment.lower, segment.upper):
            if limit is not None:
                y = sy(limit)
                out.append(
                    f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="{LINE_COLOUR}" stroke-width="1.2" stroke-dasharray="6 4"/>'
                )
    if chart.target is not None:
        y = sy(chart.target)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
    if chart.closure_x is not None:
        x = sx(chart.closure_x)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}" stroke="{CLOSURE_COLOUR}" stroke-width="2" stroke-dasharray="8 3"/>'
            f'<text x="{x + 5 if x < LEFT + plot_w / 2 else x - 5:.1f}" y="{TOP + 14}" '
            f'text-anchor="{"start" if x < LEFT + plot_w / 2 else "end"}" fill="{CLOSURE_COLOUR}" '
            f'font-weight="bold">{escape(chart.closure_label)}</text>'
        )
    # The process line, broken at missing values
    run: list[str] = []
    paths = []
    for point in chart.points:
        if point.value is None:
            if len(run) > 1:
                paths.append(run)
            run = []
        else:
            run.append(f"{sx(point.x):.1f} {sy(point.value):.1f}")
    if len(run) > 1:
        paths.append(run)
    for path in paths:
        out.append(
            f'<path d="M{"L".join(path)}" fill="none" stroke="{COLOURS["common"]}" stroke-width="1.5"/>'
        )
    size = 4.5 if n <= 60 else 3.2 if n <= 120 else 2.4
    for point in chart.points:
        if point.value is not None:
            out.append(_marker_svg(point.kind, sx(point.x), sy(point.value), size))
    # Icons, top right
    for offset, (name, label) in enumerate(
        ((chart.assurance, chart.assurance_label), (chart.variation, chart.variation_label))
    ):
        if name:
            icon = icon_svg(name, label=label, size=36)
            out.append(
                f'<g transform="translate({WIDTH - RIGHT - 36 - offset * 42} 4)">'
                f"<title>{escape(('Assurance: ' if offset == 0 else 'Variation: ') + label)}</title>"
                f"{icon}</g>"
            )
    # Legend: words beside each marker shape
    lx, ly = LEFT, HEIGHT - 14
    for kind, words in LEGEND:
        if kind:
            out.append(_marker_svg(kind, lx + 5, ly - 4, 4.5))
            lx += 14
        out.append(f'<text x="{lx}" y="{ly}" fill="{TEXT_COLOUR}">{words}</text>')
        lx += 7.2 * len(words) + 16
    if chart.target is not None:
        out.append(
            f'<text x="{LEFT}" y="{TOP - 30}" fill="{TARGET_COLOUR}">'
            f"Target {escape(number(chart.target, chart.unit))} (dotted red line)</text>"
        )
    out.append(
        f'<text x="{LEFT}" y="{TOP - 14}" fill="{TEXT_COLOUR}">'
        "Mean (solid line) and process limits (dashed)</text>"
    )
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# PNG (board paper)


def render_png(chart: Chart, *, dpi: int = 150) -> bytes:
    """The same chart as a PNG, drawn with matplotlib's Agg backend (no GUI, thread-safe)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    figure = Figure(figsize=(WIDTH / 100, HEIGHT / 100 + 0.4), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.09, 0.24, 0.77, 0.62))
    low, high, yticks = y_range(chart)
    n = max(len(chart.points), 1)
    axes.set_xlim(-0.5, n - 0.5)
    axes.set_ylim(low, high)
    axes.set_yticks(yticks, [number(t, chart.unit) for t in yticks])
    ticks = x_ticks(chart)
    axes.set_xticks(ticks, [tick_label(chart.points[i].day) for i in ticks], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="y", color="#e8edee")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for segment in chart.segments:
        span = (segment.first - 0.4, segment.last + 0.4)
        if segment.mean is not None:
            axes.hlines(segment.mean, *span, colors=LINE_COLOUR, linewidth=1.2)
        for limit in (segment.lower, segment.upper):
            if limit is not None:
                axes.hlines(limit, *span, colors=LINE_COLOUR, linewidth=1, linestyles="--")
    if chart.target is not None:
        axes.axhline(chart.target, color=TARGET_COLOUR, linewidth=1.2, linestyle=":")
    if chart.closure_x is not None:
        axes.axvline(chart.closure_x, color=CLOSURE_COLOUR, linewidth=1.5, linestyle="--")
        axes.annotate(
            chart.closure_label,
            (chart.closure_x, high),
            xytext=(-4, 2),
            textcoords="offset points",
            ha="right",
            fontsize=7,
            color=CLOSURE_COLOUR,
        )
    xs = [p.x for p in chart.points]
    ys = [math.nan if p.value is None else p.value for p in chart.points]
    axes.plot(xs, ys, color=COLOURS["common"], linewidth=1.2)
    for kind, marker in MARKERS.items():
        chosen = [p for p in chart.points if p.kind == kind and p.value is not None]
        if chosen:
            axes.scatter(
                [p.x for p in chosen],
                [p.value for p in chosen],
                marker=marker,
                color=COLOURS[kind],
                s=18 if n <= 60 else 8,
                zorder=3,
            )
    figure.suptitle(chart.title, x=0.09, ha="left", fontsize=9, fontweight="bold")
    handles = [
        Line2D([], [], color=COLOURS[k], marker=MARKERS[k], linestyle="", label=KIND_LABELS[k])
        for k in ("common", "improvement", "concern", "neutral")
    ]
    figure.legend(handles=handles, loc="lower left", ncol=4, fontsize=6.5, frameon=False)
    for offset, (name, label) in enumerate(
        ((chart.variation, "Variation"), (chart.assurance, "Assurance"))
    ):
        if name:
            kind = ICON_KIND[name]
            letter = ICON_LETTERS[name] or "~"
            figure.text(
                0.92,
                0.78 - offset * 0.3,
                letter,
                ha="center",
                va="center",
                fontsize=11,
                fontweight="bold",
                color=COLOURS[kind],
                bbox={"boxstyle": "circle,pad=0.5", "fc": "white", "ec": COLOURS[kind], "lw": 2},
            )
            figure.text(0.92, 0.66 - offset * 0.3, label, ha="center", fontsize=6)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
