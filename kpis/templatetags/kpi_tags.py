"""Template tags for KPI panels and Making Data Count icons."""

from django import template
from django.utils.safestring import mark_safe

from kpis.charts import build_chart, icon_svg, render_svg
from kpis.selectors import ASSURANCE_LABELS, VARIATION_LABELS, analyse_kpi

register = template.Library()


@register.simple_tag
def kpi_panel_data(kpi, closure_date=None, panel=None):
    """What kpis/partials/kpi_panel.html shows: the analysis, the chart and its SVG.

    Pass `panel` when the view has built it already. Otherwise this costs two queries
    (the KPI's values and process changes) unless the KPI came from `.with_series()`.
    """
    if panel:
        return panel
    if kpi is None:
        return None
    row = analyse_kpi(kpi, closure_date=closure_date or None)
    chart = build_chart(row)
    return {"row": row, "chart": chart, "svg": render_svg(chart, uid=f"kpi-{kpi.pk}")}


@register.simple_tag
def variation_icon(name, size=32):
    """The variation icon, decorative: put its words beside it."""
    svg = icon_svg(name, label=VARIATION_LABELS.get(name, ""), size=size, decorative=True)
    return mark_safe(svg)  # nosec B308, B703 # noqa: S308 (built by kpis.charts, which escapes its text)


@register.simple_tag
def assurance_icon(name, size=32):
    """The assurance icon, decorative: put its words beside it."""
    svg = icon_svg(name, label=ASSURANCE_LABELS.get(name, ""), size=size, decorative=True)
    return mark_safe(svg)  # nosec B308, B703 # noqa: S308 (built by kpis.charts, which escapes its text)


@register.filter
def safe_svg(svg):
    """Mark SVG built by kpis.charts (which escapes every text it writes) as safe."""
    return mark_safe(svg)  # nosec B308, B703 # noqa: S308


@register.filter
def plain_number(value):
    """A Decimal without trailing zeros: 87.5000 → 87.5."""
    if value is None:
        return ""
    return format(value.normalize(), ",f") if abs(value) >= 1000 else format(value.normalize(), "f")
