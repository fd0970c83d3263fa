"""The executive dashboard and its drill-down list."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from qip.models import Snapshot
from qip.reporting import rollup
from tests.factories import RootCauseFactory

pytestmark = pytest.mark.django_db

D = dt.date


def url(programme, **params):
    base = reverse("dashboard", args=[programme.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("persona", ["pmo", "executive", "partner"])
def test_dashboard_for_pmo_executives_and_partners(
    client, programme, rollup_plan, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(programme))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Delivery against trajectory" in page
    assert "Live, as at 20 February 2024" in page
    assert "Green: 90% of trajectory or more" in page
    assert "Extra sessions booked." in page  # the off-track list shows the recovery plan
    assert "<svg" in page and "Show the numbers as a table" in page


def test_an_owner_without_a_programme_role_gets_403(client, programme, rollup_plan, owner):
    client.force_login(owner)
    assert client.get(url(programme)).status_code == 403
    assert client.get(reverse("rootcause-list", args=[programme.pk])).status_code == 403


def test_an_outsider_gets_404(client, programme, outsider):
    client.force_login(outsider)
    assert client.get(url(programme)).status_code == 404
    assert client.get(reverse("rootcause-list", args=[programme.pk])).status_code == 404


def test_dashboard_query_count_does_not_grow(
    client, programme, rollup_plan, executive, finding, django_assert_max_num_queries
):
    client.force_login(executive)
    client.get(url(programme))
    with django_assert_max_num_queries(25) as first:
        client.get(url(programme))
    for n in range(10):
        RootCauseFactory(finding=finding, baseline_due_date=D(2024, 1, 1) + dt.timedelta(days=n))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url(programme)).status_code == 200


def test_an_ended_period_shows_its_frozen_snapshot(
    client, programme, isg, rollup_plan, executive, pmo
):
    january = programme.periods.get(cadence="monthly", number=1)
    rollup.period_lock(by=pmo, period=january)
    late = rollup_plan["late"]
    late.completed_on, late.status = D(2024, 1, 25), "completed"
    late.save()  # closure back-dated after the board paper: the board's figures stay
    client.force_login(executive)
    page = client.get(url(programme, period=january.pk)).content.decode()
    assert "As at the end of January 2024" in page and "frozen since the board paper" in page
    frozen = Snapshot.objects.get(period=january, isg=isg)
    assert (frozen.md_completed, frozen.md_planned) == (1, 2)
    assert re.search(r"aria-label=\"1 Must Do completed, Women&#x27;s and Children&#x27;s\"", page)


def test_an_unknown_period_falls_back_with_a_message(client, programme, rollup_plan, executive):
    client.force_login(executive)
    response = client.get(url(programme, period="999999"))
    assert response.status_code == 200
    assert "That period is not part of this programme" in response.content.decode()


def test_engagement_summary_is_included_only_when_it_exists(
    client, programme, rollup_plan, executive, settings, tmp_path, monkeypatch
):
    """The engagement part (issue 10) supplies a partial and a selector; without them the
    page still works."""
    import sys
    import types

    client.force_login(executive)
    monkeypatch.setitem(sys.modules, "engagement.selectors", None)  # not installed
    assert "Engagement between" not in client.get(url(programme)).content.decode()
    folder = tmp_path / "engagement" / "partials"
    folder.mkdir(parents=True)
    (folder / "dashboard_summary.html").write_text(
        "<section>Engagement between {{ engagement_summary.start }} and "
        "{{ engagement_summary.end }}</section>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    fake = types.ModuleType("engagement.selectors")
    fake.engagement_summary = lambda programme, start, end: {"start": start, "end": end}
    monkeypatch.setitem(sys.modules, "engagement.selectors", fake)
    page = client.get(url(programme)).content.decode()
    assert "Engagement between 1 Feb 2024 and 20 Feb 2024" in page  # the month to date


def _links(page: str) -> dict[str, str]:
    """aria-label → href for every figure link in the trajectory table."""
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', page)
    }


@pytest.mark.parametrize("period", ["live", "january"])
def test_drill_down_counts_equal_the_figures(client, programme, rollup_plan, executive, period):
    client.force_login(executive)
    params = {}
    if period == "january":
        january = programme.periods.get(cadence="monthly", number=1)
        rollup.rollup_periods(programme=programme, periods=[january])
        params["period"] = january.pk
    page = client.get(url(programme, **params)).content.decode()
    links = _links(page)
    assert len(links) == 3 * 6  # two ISGs and the programme, six figures each
    checked = 0
    for label, href in links.items():
        figure = int(label.split()[0])
        response = client.get(href)
        assert response.status_code == 200
        assert response.context["count"] == figure, (label, href)
        checked += 1
    assert checked == len(links)
    # The charts' data tables drill down too: plan lines, completions, completions by month.
    cells = re.findall(r'<td class="num"><a href="([^"]+)">(-?\d+)</a></td>', page)
    assert len(cells) >= 3 * 2 + 2 * 2  # three lines over two months, two ISGs' bars
    for href, value in cells:
        response = client.get(href.replace("&amp;", "&"))
        assert response.context["count"] == int(value), href


def test_drill_down_filters_and_bad_input(
    client, programme, rollup_plan, pmo, django_assert_max_num_queries
):
    client.force_login(pmo)
    base = reverse("rootcause-list", args=[programme.pk])
    with django_assert_max_num_queries(15):
        response = client.get(base)
    assert response.context["count"] == 4
    response = client.get(base + "?planned_by=2024-01-31&type=MUST_DO")
    assert response.context["count"] == 2
    response = client.get(base + "?rag=off_track")
    assert response.context["count"] == 1
    response = client.get(base + "?planned_by=31st+of+January")
    page = response.content.decode()
    assert response.status_code == 200 and response.context["page_obj"] is None
    assert "There is a problem" in page


def test_a_sprint_can_be_chosen_and_says_where_its_figures_come_from(
    client, programme, rollup_plan, executive
):
    client.force_login(executive)
    sprint2 = programme.periods.get(cadence="fortnightly", number=2)
    page = client.get(url(programme, period=sprint2.pk)).content.decode()
    assert "As at the end of Sprint 2 (28 January 2024), computed live: not rolled up yet" in page
    rollup.rollup_periods(programme=programme, periods=[sprint2])
    page = client.get(url(programme, period=sprint2.pk)).content.decode()
    assert "As at the end of Sprint 2 (28 January 2024), from the roll-up of" in page


def test_drill_down_as_csv(client, programme, rollup_plan, pmo):
    client.force_login(pmo)
    response = client.get(
        reverse("rootcause-list", args=[programme.pk]) + "?type=MUST_DO&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("Reference,Title,")
    assert len(lines) == 1 + 3  # the three Must Do root causes


def test_drill_down_query_count_does_not_grow(
    client, programme, rollup_plan, pmo, finding, django_assert_max_num_queries
):
    client.force_login(pmo)
    base = reverse("rootcause-list", args=[programme.pk]) + "?missing=2024-02-20"
    client.get(base)
    with django_assert_max_num_queries(15) as first:
        client.get(base)
    for _ in range(8):
        RootCauseFactory(finding=finding)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(base).context["count"] == 3 + 8


def test_a_programme_without_isgs_shows_an_empty_state(client, programme, pmo):
    client.force_login(pmo)
    response = client.get(url(programme))
    assert response.status_code == 200
    assert "appears once the programme has steering groups" in response.content.decode()


def test_board_charts_render_as_png_for_the_board_paper(programme, rollup_plan, today):
    from qip.charts import png
    from qip.reporting.dashboard import board_charts

    january = programme.periods.get(cadence="monthly", number=1)
    charts = board_charts(programme, january, today)
    assert [c.slug for c in charts] == ["trajectory", "must-do-by-month", "should-do-by-month"]
    assert all(png.render(chart).startswith(b"\x89PNG") for chart in charts)


def test_a_past_period_counts_its_own_end_in_the_charts_and_forecasts(
    programme, isg, rollup_plan, today
):
    """Regression: the period that ends on the day shown is counted in full, not as plan only."""
    from qip.reporting import dashboard as selectors

    periods = list(programme.periods.order_by("starts_on"))
    isgs = list(programme.isgs.order_by("order", "name"))
    rollup.rollup_periods(programme=programme, periods=[p for p in periods if p.ends_on < today])
    sprint2 = programme.periods.get(cadence="fortnightly", number=2)
    board = selectors.build(programme, sprint2, periods, isgs, today)
    mine = next(row for row in board.rows if row.isg_id == isg.pk)
    # Sprints 1 and 2 (which ends on the day shown): one completion in sprint 1, none in 2.
    assert (mine.forecast.slowest, mine.forecast.fastest) == (0, 1)
    trajectory = board.charts[0]
    completed = next(s for s in trajectory.series if s.name == "Completed")
    assert completed.values[0] == 1  # January
