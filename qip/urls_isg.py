"""URL patterns, included from qip/urls.py: ISG and sprint pages, closure decisions (issue 5)."""

from django.urls import path

from .views import closures, isg, sprint

urlpatterns = [
    path("programmes/<int:programme_pk>/isgs/", isg.isg_list, name="isg-list"),
    path("isgs/<int:pk>/", isg.isg_detail, name="isg-detail"),
    path("periods/<int:pk>/", isg.period_detail, name="period-detail"),
    path(
        "isgs/<int:isg_pk>/periods/<int:period_pk>/",
        sprint.sprint_page,
        name="sprint-page",
    ),
    path(
        "isgs/<int:isg_pk>/periods/<int:period_pk>/sign-off/",
        sprint.sprint_sign_off,
        name="sprint-sign-off",
    ),
    path("closures/<int:pk>/confirm/", closures.closure_confirm, name="closure-confirm"),
    path("closures/<int:pk>/reject/", closures.closure_reject, name="closure-reject"),
    path(
        "closures/verify/<int:root_cause_pk>/",
        closures.verification_record,
        name="verification-record",
    ),
]
