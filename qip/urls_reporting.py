"""URL patterns, included from qip/urls.py: the executive dashboard and its drill-down."""

from django.urls import path

from .views import dashboard

urlpatterns: list = [
    path("programmes/<int:programme_pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "programmes/<int:programme_pk>/root-causes/",
        dashboard.root_cause_list,
        name="rootcause-list",
    ),
]
