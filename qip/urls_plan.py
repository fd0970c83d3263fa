"""URL patterns, included from qip/urls.py: the PMO's plan import and export (issue 8)."""

from django.urls import path, re_path

from .views import plan

urlpatterns = [
    path("programmes/<int:programme_pk>/plan/", plan.plan_home, name="plan-home"),
    path("programmes/<int:programme_pk>/plan/check/", plan.plan_import, name="plan-import"),
    path("programmes/<int:programme_pk>/plan/import/", plan.plan_commit, name="plan-commit"),
    re_path(
        r"^programmes/(?P<programme_pk>[0-9]+)/plan/template\.(?P<fmt>xlsx|csv)$",
        plan.plan_template,
        name="plan-template",
    ),
    re_path(
        r"^programmes/(?P<programme_pk>[0-9]+)/plan/export\.(?P<fmt>xlsx|csv)$",
        plan.plan_export,
        name="plan-export",
    ),
]
