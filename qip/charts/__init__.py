"""One chart definition, two renderings: accessible inline SVG for the page (svg.py) and
PNG for the board paper (png.py). Series differ by dash style, marker and fill pattern as
well as colour, so a chart reads the same printed in greyscale."""

from dataclasses import dataclass, field

# NHS blue, dark grey, green, warm yellow (dark enough on white), purple, dark blue.
COLOURS = ["#005eb8", "#425563", "#007f3b", "#c77c00", "#5b2c86", "#003087"]
DASHES = ["", "8 4", "2 3", "10 3 2 3", "5 5", "1 2"]  # SVG stroke-dasharray
MARKERS = ["circle", "square", "triangle", "diamond", "circle-open", "square-open"]
PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical"]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | None]
    links: list[str | None] | None = None  # where each value drills down to, on the page


@dataclass(frozen=True)
class Chart:
    """What a chart shows. `kind` is "line" or "bar" (grouped bars, one group per x label)."""

    title: str
    description: str
    x_labels: list[str]
    series: list[Series]
    kind: str = "line"
    x_label: str = ""
    y_label: str = ""
    slug: str = "chart"
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.x_labels or all(v is None for s in self.series for v in s.values)

    def table(self) -> list[tuple[str, list]]:
        """Rows for the data table that stands beside the picture: (x label, values)."""
        return [
            (label, [s.values[i] if i < len(s.values) else None for s in self.series])
            for i, label in enumerate(self.x_labels)
        ]

    def linked_table(self) -> list[tuple[str, list[tuple]]]:
        """The table with each value's drill-down link: (x label, [(value, link)])."""
        return [
            (
                label,
                [
                    (
                        s.values[i] if i < len(s.values) else None,
                        s.links[i] if s.links and i < len(s.links) else None,
                    )
                    for s in self.series
                ],
            )
            for i, label in enumerate(self.x_labels)
        ]
