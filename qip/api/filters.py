"""Filters for the API (django-filter): by programme, ISG, status and dates.

Date ranges take two parameters, e.g. `baseline_due_date_after=2019-04-01` and
`baseline_due_date_before=2019-04-30` (both inclusive, ISO dates).
"""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from findings.models import Finding, FindingType
from kpis.models import KPI, Measurement
from rootcauses.models import RAG, Action, RootCause, Update

from ..models import ImprovementSteeringGroup, ReportingPeriod, Snapshot

ID_RANGE = (-(2**63), 2**63 - 1)


@extend_schema_field(
    {"type": "integer", "format": "int64", "minimum": ID_RANGE[0], "maximum": ID_RANGE[1]}
)
class IdFilter(django_filters.Filter):
    """A whole-number id; anything else is a 400, never a server error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", ID_RANGE[0])
        kwargs.setdefault("max_value", ID_RANGE[1])
        super().__init__(*args, **kwargs)


class ProgrammeIsgFilterSet(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", help_text="Programme id.")
    isg = IdFilter(field_name="isg_id", help_text="ISG id.")
    isg_code = django_filters.CharFilter(
        field_name="isg__code", lookup_expr="iexact", help_text='ISG code, e.g. "WC".'
    )


class RootCauseFilter(ProgrammeIsgFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=RootCause.Status.choices, help_text="One or more statuses (repeat the parameter)."
    )
    finding_type = django_filters.ChoiceFilter(
        field_name="finding__finding_type", choices=FindingType.choices
    )
    finding = IdFilter(field_name="finding_id", help_text="Finding id.")
    owner = IdFilter(field_name="owner_id", help_text="Owner's user id.")
    baseline_due_date = django_filters.DateFromToRangeFilter()
    current_due_date = django_filters.DateFromToRangeFilter()
    completed_on = django_filters.DateFromToRangeFilter()
    is_open = django_filters.BooleanFilter(
        method="filter_open", help_text="true: neither completed nor withdrawn."
    )

    class Meta:
        model = RootCause
        fields = []

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))


class FindingFilter(ProgrammeIsgFilterSet):
    finding_type = django_filters.ChoiceFilter(choices=FindingType.choices)
    source = django_filters.CharFilter(
        field_name="source__code", lookup_expr="iexact", help_text='Source code, e.g. "S31_NOTICE".'
    )

    class Meta:
        model = Finding
        fields = []


class ActionFilter(django_filters.FilterSet):
    root_cause = IdFilter(field_name="root_cause_id")
    isg = IdFilter(field_name="root_cause__isg_id", help_text="ISG id.")
    programme = IdFilter(field_name="root_cause__programme_id")
    due_date = django_filters.DateFromToRangeFilter()
    done_on = django_filters.DateFromToRangeFilter()
    is_done = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Action
        fields = []


class UpdateFilter(django_filters.FilterSet):
    root_cause = IdFilter(field_name="root_cause_id")
    isg = IdFilter(field_name="root_cause__isg_id", help_text="ISG id.")
    programme = IdFilter(field_name="root_cause__programme_id")
    period = IdFilter(field_name="period_id", help_text="Reporting period id.")
    rag = django_filters.ChoiceFilter(choices=RAG.choices)
    period_ends_on = django_filters.DateFromToRangeFilter(field_name="period__ends_on")
    posted_on = django_filters.DateFromToRangeFilter(field_name="posted_at__date")

    class Meta:
        model = Update
        fields = []


class KPIFilter(ProgrammeIsgFilterSet):
    level = django_filters.ChoiceFilter(choices=KPI.Level.choices)

    class Meta:
        model = KPI
        fields = []


class MeasurementFilter(django_filters.FilterSet):
    kpi = IdFilter(field_name="kpi_id")
    isg = IdFilter(field_name="kpi__isg_id", help_text="ISG id.")
    programme = IdFilter(field_name="kpi__programme_id")
    period_end = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Measurement
        fields = []


class IsgFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id")

    class Meta:
        model = ImprovementSteeringGroup
        fields = []


class SnapshotFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id")
    isg = IdFilter(field_name="isg_id")
    period = IdFilter(field_name="period_id")
    cadence = django_filters.ChoiceFilter(
        field_name="period__cadence", choices=ReportingPeriod.Cadence.choices
    )
    as_of = django_filters.DateFromToRangeFilter()
    programme_total = django_filters.BooleanFilter(
        field_name="isg", lookup_expr="isnull", label="Only the programme's totals (no ISG)"
    )

    class Meta:
        model = Snapshot
        fields = []


class PeriodFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id")
    cadence = django_filters.ChoiceFilter(choices=ReportingPeriod.Cadence.choices)
    ends_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ReportingPeriod
        fields = []
