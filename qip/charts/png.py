"""PNG for the board paper (Word, PDF), drawn by matplotlib's Agg backend from the same
Chart definition as the page's SVG: the same colours, dash styles, markers and hatches."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend
from matplotlib.ticker import MaxNLocator  # noqa: E402

from . import COLOURS, Chart  # noqa: E402

LINESTYLES = ["-", (0, (8, 4)), (0, (2, 3)), (0, (10, 3, 2, 3)), (0, (5, 5)), (0, (1, 2))]
MARKERS = ["o", "s", "^", "D", "o", "s"]
HATCHES = ["", "///", "..", "xx", "--", "||"]


def render(chart: Chart, *, width_in: float = 8, height_in: float = 4, dpi: int = 150) -> bytes:
    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    ax = figure.subplots()
    ax.set_title(chart.title, fontsize=11, loc="left")
    if chart.is_empty:
        ax.text(0.5, 0.5, "No data yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        positions = list(range(len(chart.x_labels)))
        if chart.kind == "bar":
            width = 0.8 / max(len(chart.series), 1)
            for i, series in enumerate(chart.series):
                ax.bar(
                    [p - 0.4 + width * (i + 0.5) for p in positions],
                    [v or 0 for v in series.values],
                    width=width,
                    label=series.name,
                    color="white" if HATCHES[i % len(HATCHES)] else COLOURS[i % len(COLOURS)],
                    edgecolor=COLOURS[i % len(COLOURS)],
                    hatch=HATCHES[i % len(HATCHES)],
                )
        else:
            for i, series in enumerate(chart.series):
                xs = [p for p, v in zip(positions, series.values, strict=False) if v is not None]
                ys = [v for v in series.values if v is not None]
                ax.plot(
                    xs,
                    ys,
                    label=series.name,
                    color=COLOURS[i % len(COLOURS)],
                    linestyle=LINESTYLES[i % len(LINESTYLES)],
                    marker=MARKERS[i % len(MARKERS)],
                    markersize=4,
                    linewidth=2,
                )
        every = max(1, -(-len(positions) // 12))
        ax.set_xticks(positions[::every], chart.x_labels[::every], fontsize=8)
        ax.set_ylabel(chart.y_label, fontsize=9)
        ax.grid(axis="y", color="#d8dde0")
        values = [v for s in chart.series for v in s.values if v is not None]
        if all(float(v).is_integer() for v in values):
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.25 ticks
        # Below the plot, so that it never hides a bar or a line.
        ax.legend(
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=min(len(chart.series), 3),
            frameon=False,
        )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
