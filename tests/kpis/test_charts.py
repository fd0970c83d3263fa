"""SPC charts render as accessible SVG and as PNG for 1, 2 and 200 points."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from kpis import charts
from kpis.models import KPI
from kpis.selectors import analyse_kpi
from tests.factories import KPIFactory, add_series

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _chart(programme, values, **kwargs):
    kpi = KPIFactory(programme=programme, target=90, **kwargs)
    add_series(kpi, values)
    kpi = KPI.objects.with_series().get(pk=kpi.pk)
    return charts.build_chart(analyse_kpi(kpi))


@pytest.mark.parametrize("count", [1, 2, 200])
def test_the_chart_renders_for_1_2_and_200_points(programme, count):
    values = [80 + (i % 7) for i in range(count)]
    chart = _chart(programme, values)
    svg = charts.render_svg(chart, uid="t")
    root = ET.fromstring(f'<div xmlns="http://www.w3.org/2000/svg">{svg}</div>')[0]  # noqa: S314 (our own output)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t-title t-desc"
    assert root.find(f"{SVG}title").text == chart.title
    assert f"SPC chart of {count} value" in root.find(f"{SVG}desc").text
    assert len(chart.points) == count
    png = charts.render_png(chart)
    assert png.startswith(b"\x89PNG")


def test_points_are_marked_by_special_cause_with_distinct_shapes(programme):
    chart = _chart(programme, [11, 10] * 6 + [20], baseline_points=12)
    kinds = {p.kind for p in chart.points}
    assert kinds == {"common", "improvement"}
    svg = charts.render_svg(chart)
    assert '<rect x="' in svg and charts.COLOURS["improvement"] in svg  # a blue square
    assert "<circle" in svg  # grey circles for common cause


def test_concern_is_orange_diamonds_and_the_icons_have_text(programme):
    chart = _chart(programme, [11, 10] * 6 + [1], baseline_points=12)
    assert chart.points[-1].kind == "concern"
    svg = charts.render_svg(chart)
    assert charts.COLOURS["concern"] in svg
    assert 'aria-label="Special cause concern (low)"' in svg
    assert "Consistently failing the target" in svg  # the target (90) is above the limits


def test_the_description_says_what_the_chart_shows(programme):
    chart = _chart(programme, [11, 10] * 6 + [20], baseline_points=12)
    assert "Latest value 20%" in chart.description
    assert "1 special cause improvement" in chart.description
    assert "Target 90%" in chart.description


def test_the_closure_is_marked(programme):
    kpi = KPIFactory(programme=programme)
    add_series(kpi, [60, 62] * 5 + [80, 81, 80], start=dt.date(2023, 1, 1))
    kpi = KPI.objects.with_series().get(pk=kpi.pk)
    row = analyse_kpi(kpi, closure_date=dt.date(2023, 5, 15))
    chart = charts.build_chart(row)
    assert chart.closure_label == "Root cause closed 15/05/2023"
    assert "Root cause closed 15/05/2023" in charts.render_svg(chart)
    assert row.judgement.verdict == "improved"


def test_a_kpi_without_values_draws_an_empty_chart(programme):
    kpi = KPI.objects.with_series().get(pk=KPIFactory(programme=programme).pk)
    chart = charts.build_chart(analyse_kpi(kpi))
    assert not chart.has_values
    assert "no values recorded yet" in chart.description
    assert charts.render_png(chart).startswith(b"\x89PNG")


def test_text_is_escaped(programme):
    chart = _chart(programme, [1, 2, 3], name='<script>alert("x")</script>')
    svg = charts.render_svg(chart)
    assert "<script>" not in svg
