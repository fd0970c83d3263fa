"""Admin for the PMO. Decisions are read-only here: approving a change or deciding an
escalation has consequences (the plan changes, the agenda moves), so it is done in the product,
through governance.services and governance.escalations."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.EscalationRule)
class EscalationRuleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "threshold", "active", "programme"]
    list_filter = ["programme", "kind", "active"]


@admin.register(models.EcibMeeting)
class EcibMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meets_on", "programme"]
    list_filter = ["programme"]
    date_hierarchy = "meets_on"


@admin.register(models.Escalation)
class EscalationAdmin(SimpleHistoryAdmin):
    list_display = ["root_cause", "trigger", "meeting", "status", "decision", "decided_by"]
    list_filter = ["programme", "trigger", "status", "decision"]
    list_select_related = ["root_cause", "meeting", "decided_by"]
    search_fields = ["root_cause__reference", "reason"]
    autocomplete_fields = ["root_cause"]
    readonly_fields = [
        "status",
        "decision",
        "decision_note",
        "decided_by",
        "decided_at",
        "raised_by",
        "raised_at",
        "follows",
    ]


@admin.register(models.ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["root_cause", "kind", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["programme", "kind", "status"]
    list_select_related = ["root_cause", "proposed_by", "decided_by"]
    search_fields = ["root_cause__reference", "rationale"]
    autocomplete_fields = ["root_cause", "merge_into", "proposed_owner"]
    readonly_fields = [
        "status",
        "decided_by",
        "decided_at",
        "decided_on",
        "decision_note",
        "meeting",
        "previous_values",
        "outcome",
    ]


class KloeReportLineInline(admin.TabularInline):
    model = models.KloeReportLine
    extra = 0


@admin.register(models.KloeReport)
class KloeReportAdmin(SimpleHistoryAdmin):
    list_display = ["assessment_item", "period", "isg", "author", "updated_at"]
    list_filter = ["isg", "period"]
    list_select_related = ["assessment_item", "period", "isg", "author"]
    readonly_fields = ["version"]
    inlines = [KloeReportLineInline]
