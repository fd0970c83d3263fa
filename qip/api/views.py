"""Read-only endpoints. Each queryset is scoped to the person (qip/api/scoping.py) before any
filter applies, so an id in the URL never reaches what they may not see (404)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from . import filters, scoping, serializers
from .pagination import ApiPagination


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    pagination_class = ApiPagination
    scope = None  # a function of scoping: user -> QuerySet
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = type(self).scope(self.request.user)
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        return queryset.order_by("pk")


UNAUTHORISED = OpenApiResponse(description="No token, or a token that is not valid.")
NOT_FOUND = OpenApiResponse(description="No such row, or not one you may see.")
BAD_FILTER = OpenApiResponse(description="A filter value is not valid; the body says which.")


def _doc(name: str, description: str, serializer):
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {name}",
            description=description,
            responses={200: serializer(many=True), 400: BAD_FILTER, 401: UNAUTHORISED},
        ),
        retrieve=extend_schema(
            summary=f"One of the {name}",
            description=description,
            responses={200: serializer, 401: UNAUTHORISED, 404: NOT_FOUND},
        ),
    )


@_doc(
    "root causes",
    "Root causes you may see, with their dates, status and BRAG.",
    serializers.RootCauseSerializer,
)
class RootCauseViewSet(ReadOnly):
    serializer_class = serializers.RootCauseSerializer
    filterset_class = filters.RootCauseFilter
    scope = staticmethod(scoping.root_causes)
    related = ("programme", "isg", "finding", "owner", "kpi", "assessment_item", "theme")


@_doc(
    "findings", "Must Do and Should Do findings of your programmes.", serializers.FindingSerializer
)
class FindingViewSet(ReadOnly):
    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter
    scope = staticmethod(scoping.findings)
    related = ("programme", "isg", "core_service", "regulation", "source")
    prefetch = ("key_questions",)


@_doc("actions", "Actions of the root causes you may see.", serializers.ActionSerializer)
class ActionViewSet(ReadOnly):
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter
    scope = staticmethod(scoping.actions)
    related = ("root_cause", "owner")


@_doc(
    "updates",
    "Owners' sprint and monthly updates on the root causes you may see.",
    serializers.UpdateSerializer,
)
class UpdateViewSet(ReadOnly):
    serializer_class = serializers.UpdateSerializer
    filterset_class = filters.UpdateFilter
    scope = staticmethod(scoping.updates)
    related = ("root_cause", "period", "author")


@_doc("KPIs", "Root cause KPIs and ISGs' high-level KPIs.", serializers.KPISerializer)
class KPIViewSet(ReadOnly):
    serializer_class = serializers.KPISerializer
    filterset_class = filters.KPIFilter
    scope = staticmethod(scoping.kpis)
    related = ("isg", "owner", "key_question", "root_cause")


@_doc("measurements", "KPI values, one per KPI per period end.", serializers.MeasurementSerializer)
class MeasurementViewSet(ReadOnly):
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    scope = staticmethod(scoping.measurements)
    related = ("kpi",)


@_doc(
    "snapshots",
    "The roll-up of each ISG (and, with no ISG, the programme) at the end of each period: "
    "planned, planned (current) and completed root causes, Must Do and Should Do apart, "
    "% of trajectory, status and RAG counts. Frozen once a board paper locks the period.",
    serializers.SnapshotSerializer,
)
class SnapshotViewSet(ReadOnly):
    serializer_class = serializers.SnapshotSerializer
    filterset_class = filters.SnapshotFilter
    scope = staticmethod(scoping.snapshots)
    related = ("period", "isg")


@_doc("ISGs", "Improvement Steering Groups of your programmes.", serializers.IsgSerializer)
class IsgViewSet(ReadOnly):
    serializer_class = serializers.IsgSerializer
    filterset_class = filters.IsgFilter
    scope = staticmethod(scoping.isgs)
    related = ("programme", "chair", "accountable_executive")


@_doc(
    "reporting periods",
    "Sprints and months of your programmes' calendars.",
    serializers.PeriodSerializer,
)
class PeriodViewSet(ReadOnly):
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilter
    scope = staticmethod(scoping.periods)
