"""One chart definition renders as accessible SVG and as PNG, for 0, 1 and many points."""

import xml.etree.ElementTree as ET

import pytest

from qip.charts import Chart, Series, png, svg

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _chart(points: int, kind: str) -> Chart:
    labels = [f"M{i}" for i in range(points)]
    return Chart(
        title="Completions <by> month",
        description="Bars for each ISG & the programme.",
        x_labels=labels,
        series=[
            Series("Women's and Children's", [i * 2 for i in range(points)]),
            Series("Scheduled Care", [None if i == 0 else i for i in range(points)]),
        ],
        kind=kind,
        slug=f"test-{kind}",
    )


@pytest.mark.parametrize("kind", ["line", "bar"])
@pytest.mark.parametrize("points", [0, 1, 40])
def test_svg_is_well_formed_and_labelled(points, kind):
    chart = _chart(points, kind)
    root = ET.fromstring(str(svg.render(chart)))  # noqa: S314 - our own markup
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Completions <by> month"  # escaped in the markup, intact here
    assert desc.text == "Bars for each ISG & the programme."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    text = "".join(root.itertext())
    if points == 0:
        assert "No data yet" in text
    else:
        assert "Scheduled Care" in text  # the legend names each series


def test_svg_series_differ_by_more_than_colour():
    line = str(svg.render(_chart(5, "line")))
    assert 'stroke-dasharray="8 4"' in line  # the second series is dashed
    assert "<rect" in line and "<circle" in line  # different markers
    bar = str(svg.render(_chart(5, "bar")))
    assert bar.count("<pattern") == 2 and "url(#test-bar-p1)" in bar


@pytest.mark.parametrize("kind", ["line", "bar"])
@pytest.mark.parametrize("points", [0, 1, 40])
def test_png_renders(points, kind):
    data = png.render(_chart(points, kind))
    assert data.startswith(PNG_MAGIC) and len(data) > 1000


def test_table_matches_the_series():
    chart = _chart(3, "line")
    assert chart.table() == [("M0", [0, None]), ("M1", [2, 1]), ("M2", [4, 2])]
