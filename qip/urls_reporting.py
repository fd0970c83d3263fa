"""URL patterns, included from qip/urls.py."""

from django.urls import path

from .views import kpi_watch

urlpatterns: list = [
    # KPI sustainability watch list (issue 7)
    path("programmes/<int:programme_pk>/kpis/watch/", kpi_watch.kpi_watch, name="kpi-watch"),
    path(
        "root-causes/<int:pk>/kpi-since-closure/",
        kpi_watch.kpi_watch_detail,
        name="kpi-watch-detail",
    ),
    # end of issue 7's URLs
]
