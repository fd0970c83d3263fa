"""Inline SVG for the page, built as a string (fast, no matplotlib): the picture has a
<title> and <desc>, and the page shows the same numbers in a table beside it."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import COLOURS, DASHES, MARKERS, PATTERNS, Chart

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    open_ = kind.endswith("-open")
    fill = "#ffffff" if open_ else colour
    shape = kind.removesuffix("-open")
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 4:.1f} L{x - 5:.1f} {y + 4:.1f} Z" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
    return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" fill="{fill}" stroke="{colour}" stroke-width="2"/>'


def _pattern(pattern_id: str, kind: str, colour: str) -> str:
    body = {
        "solid": f'<rect width="8" height="8" fill="{colour}"/>',
        "diagonal": f'<rect width="8" height="8" fill="#ffffff"/><path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" stroke="{colour}" stroke-width="2.5"/>',
        "dots": f'<rect width="8" height="8" fill="#ffffff"/><circle cx="4" cy="4" r="2.2" fill="{colour}"/>',
        "cross": f'<rect width="8" height="8" fill="#ffffff"/><path d="M0 0 L8 8 M8 0 L0 8" stroke="{colour}" stroke-width="1.6"/>',
        "horizontal": f'<rect width="8" height="8" fill="#ffffff"/><path d="M0 2 H8 M0 6 H8" stroke="{colour}" stroke-width="2"/>',
        "vertical": f'<rect width="8" height="8" fill="#ffffff"/><path d="M2 0 V8 M6 0 V8" stroke="{colour}" stroke-width="2"/>',
    }[kind]
    return f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse">{body}</pattern>'


def render(chart: Chart) -> SafeString:
    slug = escape(chart.slug)
    title_id, desc_id = f"{slug}-title", f"{slug}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="qip-chart-svg" role="img" aria-labelledby="{title_id} {desc_id}" focusable="false">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="#aeb7bd"/>'
    )
    if chart.is_empty:
        out.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="16" fill="#4c6272">No data yet</text></svg>'
        )
        return mark_safe("".join(out))  # nosec B308, B703 # noqa: S308 - every text above is escaped

    values = [v for s in chart.series for v in s.values if v is not None]
    top = _nice_max(max(values + [0]))
    if all(float(v).is_integer() for v in values):
        top = max(5, math.ceil(top / 5) * 5)  # counts: whole numbers on the axis
    bottom = min(0, min(values))

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - bottom) / (top - bottom) * plot_h

    for i in range(6):  # gridlines and y labels
        value = bottom + (top - bottom) * i / 5
        y = y_of(value)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#d8dde0"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#212b32">{_fmt(value)}</text>'
        )
    n = len(chart.x_labels)
    slot = plot_w / n
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(chart.x_labels):
        if i % every:
            continue
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" font-size="12" fill="#212b32">{escape(label)}</text>'
        )
    if chart.y_label:
        out.append(
            f'<text x="14" y="{TOP + plot_h / 2}" text-anchor="middle" font-size="12" fill="#212b32" transform="rotate(-90 14 {TOP + plot_h / 2})">{escape(chart.y_label)}</text>'
        )

    if chart.kind == "bar":
        defs = "".join(
            _pattern(f"{slug}-p{i}", PATTERNS[i % len(PATTERNS)], COLOURS[i % len(COLOURS)])
            for i in range(len(chart.series))
        )
        out.append(f"<defs>{defs}</defs>")
        group_w = slot * 0.8
        bar_w = group_w / max(len(chart.series), 1)
        for s_index, series in enumerate(chart.series):
            colour = COLOURS[s_index % len(COLOURS)]
            for i, value in enumerate(series.values):
                if value is None:
                    continue
                x = LEFT + slot * i + slot * 0.1 + bar_w * s_index
                y0, y1 = y_of(max(value, 0)), y_of(min(value, 0))
                out.append(
                    f'<rect x="{x:.1f}" y="{y0:.1f}" width="{max(bar_w - 1, 1):.1f}" height="{max(y1 - y0, 0):.1f}" '
                    f'fill="url(#{slug}-p{s_index})" stroke="{colour}"><title>{escape(series.name)}, {escape(chart.x_labels[i])}: {_fmt(value)}</title></rect>'
                )
    else:
        for s_index, series in enumerate(chart.series):
            colour = COLOURS[s_index % len(COLOURS)]
            dash = DASHES[s_index % len(DASHES)]
            points = [
                (LEFT + slot * (i + 0.5), y_of(v), v)
                for i, v in enumerate(series.values)
                if v is not None
            ]
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
            marker = MARKERS[s_index % len(MARKERS)]
            step = max(1, math.ceil(len(points) / 24))
            for j, (x, y, _v) in enumerate(points):
                if j % step == 0 or j == len(points) - 1:
                    out.append(_marker(marker, x, y, colour))

    # Legend, below the x labels, wrapping in rows.
    x, y = LEFT, HEIGHT - 22
    for s_index, series in enumerate(chart.series):
        colour = COLOURS[s_index % len(COLOURS)]
        width = 34 + 7 * len(series.name)
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, y = LEFT, y + 16
        if chart.kind == "bar":
            out.append(
                f'<rect x="{x}" y="{y - 9}" width="14" height="12" fill="url(#{slug}-p{s_index})" stroke="{colour}"/>'
            )
        else:
            dash = DASHES[s_index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{x - 4}" y1="{y - 3}" x2="{x + 18}" y2="{y - 3}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
            out.append(_marker(MARKERS[s_index % len(MARKERS)], x + 7, y - 3, colour))
        out.append(
            f'<text x="{x + 24}" y="{y + 1}" font-size="12" fill="#212b32">{escape(series.name)}</text>'
        )
        x += width
    out.append("</svg>")
    return mark_safe("".join(out))  # nosec B308, B703 # noqa: S308 - every text above is escaped
