"""The drill-down list's filters: every figure on the dashboard links to the root causes
behind it, filtered by the same rules (trajectory.py) that counted it."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from rootcauses.models import RAG, RootCause, Update

from ..models import ImprovementSteeringGroup, ReportingPeriod
from . import rollup
from . import trajectory as tj

DATE_HELP = "A date, for example 2019-04-30."


class RootCauseDrillDown(django_filters.FilterSet):
    isg = django_filters.ModelChoiceFilter(
        queryset=ImprovementSteeringGroup.objects.none(),
        label="Steering group",
        empty_label="All steering groups",
    )
    type = django_filters.ChoiceFilter(
        field_name="finding__finding_type",
        choices=[(tj.MUST_DO, "Must Do"), (tj.SHOULD_DO, "Should Do")],
        label="Must Do or Should Do",
        empty_label="Both",
    )
    planned_by = django_filters.DateFilter(
        method="filter_planned_by", label="Planned (baseline) by", help_text=DATE_HELP
    )
    planned_current_by = django_filters.DateFilter(
        method="filter_planned_current_by", label="Planned (current) by", help_text=DATE_HELP
    )
    completed_by = django_filters.DateFilter(
        method="filter_completed_by", label="Completed by", help_text=DATE_HELP
    )
    completed_after = django_filters.DateFilter(
        method="filter_completed_after", label="Completed after", help_text=DATE_HELP
    )
    overdue = django_filters.DateFilter(
        method="filter_overdue", label="Overdue at", help_text=DATE_HELP
    )
    missing = django_filters.DateFilter(
        method="filter_missing", label="Update missing at", help_text=DATE_HELP
    )
    rag = django_filters.ChoiceFilter(
        method="filter_rag",
        choices=RAG.choices,
        label="Latest update (open root causes)",
        empty_label="Any",
    )

    class Meta:
        model = RootCause
        fields: list[str] = []

    def __init__(self, *args, programme, today: dt.date, **kwargs):
        self.programme = programme
        self.today = today
        super().__init__(*args, **kwargs)
        self.filters["isg"].queryset = programme.isgs.all()
        self.filters["isg"].label = programme.group_label
        for name in (
            "planned_by",
            "planned_current_by",
            "completed_by",
            "completed_after",
            "overdue",
            "missing",
        ):
            self.filters[name].field.widget = forms.DateInput(attrs={"type": "date"})

    def filter_planned_by(self, queryset, name, value):
        return queryset.filter(tj.planned_by(value))

    def filter_planned_current_by(self, queryset, name, value):
        return queryset.filter(tj.planned_current_by(value))

    def filter_completed_by(self, queryset, name, value):
        return queryset.filter(tj.completed_by(value, self.programme.trajectory_colour))

    def filter_completed_after(self, queryset, name, value):
        """Not yet counted as completed at the end of that day (with completed_by: a month)."""
        return queryset.exclude(tj.completed_by(value, self.programme.trajectory_colour))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(tj.overdue_at(value))

    def filter_rag(self, queryset, name, value):
        return queryset.filter(tj.open_at(self.today), current_rag=value)

    def filter_missing(self, queryset, name, value):
        """As the dashboard counts it: live (each ISG's current period) for today or later,
        else the ISG's latest period ended by that day (rollup.due_period)."""
        live = value >= self.today
        by_cadence: dict[str, list[ReportingPeriod]] = {}
        for period in self.programme.periods.order_by("starts_on"):
            by_cadence.setdefault(period.cadence, []).append(period)
        condition = Q(pk__in=[])
        for cadence in by_cadence:
            period = rollup.due_period(by_cadence, cadence, value, live)
            if period is None:
                continue
            at = min(value, period.ends_on)
            condition |= (
                Q(isg__cadence=cadence)
                & tj.open_at(at)
                & ~Exists(Update.objects.filter(root_cause=OuterRef("pk"), period=period))
            )
        return queryset.filter(condition)
