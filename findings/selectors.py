"""Reads of findings for the findings pages and the API."""

from django.db.models import Count, Q, QuerySet

from .models import Finding


def findings_for_list(programme_id: int) -> QuerySet[Finding]:
    """The programme's findings with what the list shows: ISG, source, and root cause counts."""
    return (
        Finding.objects.filter(programme_id=programme_id)
        .select_related("isg", "core_service", "regulation", "source")
        .annotate(
            root_cause_count=Count("root_causes", distinct=True),
            completed_count=Count(
                "root_causes", filter=Q(root_causes__completed_on__isnull=False), distinct=True
            ),
        )
        .order_by("isg__order", "isg__name", "finding_type", "reference")
    )


def finding_for_detail() -> QuerySet[Finding]:
    return Finding.objects.select_related(
        "programme", "isg", "core_service", "regulation", "source", "inspection"
    ).prefetch_related("key_questions")
