"""URL patterns, included from qip/urls.py: the executive dashboard and its drill-down."""

from django.urls import path

from .views import dashboard, kpi_watch

urlpatterns: list = [
    # KPI sustainability watch list (issue 7)
    path("programmes/<int:programme_pk>/kpis/watch/", kpi_watch.kpi_watch, name="kpi-watch"),
    path(
        "root-causes/<int:pk>/kpi-since-closure/",
        kpi_watch.kpi_watch_detail,
        name="kpi-watch-detail",
    ),
    # end of issue 7's URLs
    path("programmes/<int:programme_pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "programmes/<int:programme_pk>/root-causes/",
        dashboard.root_cause_list,
        name="rootcause-list",
    ),
]
