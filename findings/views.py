"""The findings pages: every Must Do and Should Do of a programme, and one finding with the
root causes the reader may see. Open to everyone who takes part in the programme."""

import django_filters
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from core.access import get_object_for
from core.clock import today
from core.spreadsheets import csv_response, wants_csv
from qip.access import get_programme_for

from .models import Finding, FindingType
from .selectors import finding_for_detail, findings_for_list

PAGE_SIZE = 25


class FindingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Reference or words", method="search", help_text="For example WC-MD-07 or staffing"
    )
    isg = django_filters.ModelChoiceFilter(
        label="ISG", queryset=None, empty_label="All", field_name="isg"
    )
    finding_type = django_filters.ChoiceFilter(
        label="Type", choices=FindingType.choices, empty_label="Must Do and Should Do"
    )

    class Meta:
        model = Finding
        fields = ["q", "isg", "finding_type"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["isg"].queryset = programme.isgs.all()
        self.filters["isg"].label = programme.group_label_short

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(text__icontains=value))


def finding_list(request, programme_pk: int):
    """All findings of the programme, filtered by ISG, type and words."""
    programme = get_programme_for(request, programme_pk)
    filterset = FindingFilter(
        request.GET or None, queryset=findings_for_list(programme.pk), programme=programme
    )
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if wants_csv(request):
        return _csv(programme, queryset)
    paginator = Paginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "findings/finding_list.html",
        {
            "programme": programme,
            "filter": filterset,
            "page_obj": page,
            "findings": page.object_list,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "crumbs": [
                {"label": programme.name, "url": programme.get_absolute_url()},
                {"label": "Findings"},
            ],
        },
    )


def _csv(programme, findings):
    """The filtered findings as CSV, every page at once."""
    return csv_response(
        f"findings-{today():%Y-%m-%d}.csv",
        [
            "Reference",
            "Type",
            programme.group_label_short,
            "Finding",
            "Core service",
            "Site",
            "Regulation",
            "Source",
            "Root causes",
            "Root causes complete",
        ],
        (
            [
                f.reference,
                f.get_finding_type_display(),
                f.isg.name,
                f.text,
                f.core_service.name if f.core_service else "",
                f.site,
                f"Regulation {f.regulation.number}" if f.regulation else "",
                f.source.name,
                f.root_cause_count,
                f.completed_count,
            ]
            for f in findings
        ),
    )


def finding_detail(request, pk: int):
    """One finding: what CQC said, and the root causes behind it that this person may see."""
    finding = get_object_for(request, finding_for_detail(), pk, view_perm="findings.view_finding")
    root_causes = (
        finding.root_causes.visible_to(request.user)
        .select_related("owner", "kpi", "assessment_item", "theme")
        .order_by("reference")
    )
    hidden = finding.root_causes.count() - len(root_causes)
    return render(
        request,
        "findings/finding_detail.html",
        {
            "finding": finding,
            "programme": finding.programme,
            "root_causes": root_causes,
            "hidden_count": hidden,
            "today": today(),
            "crumbs": [
                {"label": finding.programme.name, "url": finding.programme.get_absolute_url()},
                {"label": "Findings", "url": reverse("finding-list", args=[finding.programme_id])},
                {"label": finding.reference},
            ],
        },
    )
