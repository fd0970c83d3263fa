"""/api/: the read-only REST API, its OpenAPI schema and its documentation.

The API authenticates by token (or the browser session) itself, so its views are exempt from
LoginRequiredMiddleware, which would otherwise redirect a Power BI request to the sign-in page.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from . import pages, views

router = DefaultRouter()
router.register("root-causes", views.RootCauseViewSet, basename="api-root-cause")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("actions", views.ActionViewSet, basename="api-action")
router.register("updates", views.UpdateViewSet, basename="api-update")
router.register("kpis", views.KPIViewSet, basename="api-kpi")
router.register("measurements", views.MeasurementViewSet, basename="api-measurement")
router.register("isgs", views.IsgViewSet, basename="api-isg")
router.register("periods", views.PeriodViewSet, basename="api-period")
router.register("snapshots", views.SnapshotViewSet, basename="api-snapshot")

for pattern in router.urls:
    login_not_required(pattern.callback)

urlpatterns = [
    # The schema asks for a token (or a session) like the rest of the API: drf-spectacular
    # serves it to anyone by default, which would tell strangers the shape of the data.
    path(
        "schema/",
        login_not_required(SpectacularAPIView.as_view(permission_classes=[IsAuthenticated])),
        name="api-schema",
    ),
    path("docs/", pages.api_docs, name="api-docs"),
    path("token/", pages.api_token, name="api-token"),
    *router.urls,
]
