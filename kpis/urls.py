from django.urls import path

from . import views

urlpatterns = [
    path("kpis/<int:pk>/", views.kpi_detail, name="kpi-detail"),
    path("kpis/<int:pk>/chart.png", views.kpi_chart_png, name="kpi-chart-png"),
    path("kpis/<int:pk>/values/new/", views.kpi_record, name="kpi-record"),
    path("kpis/<int:pk>/values/upload/", views.kpi_upload, name="kpi-upload"),
    path("kpis/<int:pk>/values/history/", views.kpi_history, name="kpi-history"),
    path("isgs/<int:isg_pk>/kpis/", views.isg_kpi_summary, name="isg-kpi-summary"),
    path("isgs/<int:isg_pk>/kpis/values/", views.isg_kpi_grid, name="isg-kpi-grid"),
    path("programmes/<int:programme_pk>/kpis/", views.programme_kpi_summary, name="kpi-summary"),
]
