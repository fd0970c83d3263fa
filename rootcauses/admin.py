from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ActionInline(admin.TabularInline):
    model = models.Action
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(models.RootCause)
class RootCauseAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "isg",
        "owner",
        "baseline_due_date",
        "current_due_date",
        "status",
        "current_rag",
        "completed_on",
    ]
    list_filter = ["programme", "isg", "status", "current_rag", "finding__finding_type"]
    search_fields = ["reference", "title", "owner__last_name", "owner__email"]
    list_select_related = ["isg", "owner"]
    autocomplete_fields = ["owner", "finding", "kpi"]
    readonly_fields = ["version", "created_at"]
    inlines = [ActionInline]


@admin.register(models.Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "root_cause", "owner", "due_date", "done_on"]
    list_select_related = ["root_cause", "owner"]
    search_fields = ["description", "root_cause__reference"]
    autocomplete_fields = ["root_cause", "owner"]


@admin.register(models.Update)
class UpdateAdmin(SimpleHistoryAdmin):
    list_display = ["root_cause", "period", "rag", "author", "updated_at"]
    list_filter = ["rag", "period__cadence"]
    list_select_related = ["root_cause", "period", "author"]
    search_fields = ["root_cause__reference", "narrative"]
    autocomplete_fields = ["root_cause", "author"]
    readonly_fields = ["version"]


@admin.register(models.ClosureRequest)
class ClosureRequestAdmin(SimpleHistoryAdmin):
    list_display = ["root_cause", "decision", "requested_by", "requested_at", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["root_cause", "requested_by", "decided_by"]
    autocomplete_fields = ["root_cause", "requested_by", "decided_by"]


@admin.register(models.Verification)
class VerificationAdmin(SimpleHistoryAdmin):
    list_display = ["root_cause", "method", "checked_by", "checked_on", "outcome"]
    list_select_related = ["root_cause"]
    autocomplete_fields = ["root_cause", "recorded_by"]


@admin.register(models.EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "root_cause", "description", "effective_from", "review_by"]
    list_select_related = ["root_cause"]
    autocomplete_fields = ["root_cause", "uploaded_by"]
    readonly_fields = ["sha256", "size", "content_type"]
