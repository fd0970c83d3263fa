"""Filters and sorting for "My root causes" (django-filter), all through the query string."""

import datetime as dt

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from findings.models import FindingType

from .models import RootCause

OPEN = Q(completed_on__isnull=True, withdrawn_on__isnull=True)


def _isgs(request):
    if request is None:
        return apps.get_model("qip", "ImprovementSteeringGroup").objects.none()
    return (
        apps.get_model("qip", "ImprovementSteeringGroup")
        .objects.filter(root_causes__owner=request.user)
        .distinct()
        .order_by("order", "name")
    )


def default_order(queryset: QuerySet) -> QuerySet:
    """Open root causes first, soonest due first."""
    return queryset.annotate(
        closed_last=Case(When(OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("closed_last", "current_due_date", "reference")


class MyRootCausesFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference or title contains")
    state = django_filters.ChoiceFilter(
        label="Status",
        method="filter_state",
        empty_label="All",
        choices=[
            ("open", "Open"),
            ("update_due", "Update due this period"),
            ("overdue", "Overdue"),
            ("waiting", "Waiting for the chair"),
            ("evidence_review", "Evidence to review"),
            ("complete", "Complete"),
        ],
    )
    isg = django_filters.ModelChoiceFilter(
        label="Steering group", queryset=_isgs, empty_label="All"
    )
    kind = django_filters.ChoiceFilter(
        label="Must Do or Should Do",
        field_name="finding__finding_type",
        choices=FindingType.choices,
        empty_label="Both",
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label="Open first, soonest due",
        fields=(
            ("current_due_date", "due"),
            ("baseline_due_date", "baseline"),
            ("reference", "reference"),
            ("isg__order", "isg"),
            ("status", "status"),
        ),
        field_labels={
            "current_due_date": "Current due date",
            "baseline_due_date": "Baseline due date",
            "reference": "Reference",
            "isg__order": "Steering group",
            "status": "Status",
        },
    )

    class Meta:
        model = RootCause
        fields: list[str] = []

    def __init__(self, *args, day: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(finding__reference__icontains=value)
        )

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(OPEN)
        if value == "update_due":
            return queryset.filter(OPEN, has_current_update=False)
        if value == "overdue":
            return queryset.filter(OPEN, current_due_date__lt=self.day)
        if value == "waiting":
            return queryset.filter(status=RootCause.Status.CLOSURE_REQUESTED)
        if value == "evidence_review":
            return queryset.filter(evidence_to_review__gt=0)
        if value == "complete":
            return queryset.filter(completed_on__isnull=False)
        return queryset
