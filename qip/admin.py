from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ProgrammeRoleInline(admin.TabularInline):
    model = models.ProgrammeRole
    extra = 0
    autocomplete_fields = ["user"]


class InspectionRatingInline(admin.TabularInline):
    model = models.InspectionRating
    extra = 0


@admin.register(models.Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "trust_name", "framework", "trajectory_colour", "publish_progress"]
    inlines = [ProgrammeRoleInline]


@admin.register(models.ProgrammeRole)
class ProgrammeRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "programme"]
    list_filter = ["programme", "role"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(models.Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme", "report_published", "overall_rating"]
    inlines = [InspectionRatingInline]


@admin.register(models.ImprovementSteeringGroup)
class ImprovementSteeringGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "programme", "cadence", "chair", "accountable_executive"]
    list_filter = ["programme", "cadence"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["chair", "accountable_executive", "leads"]
    filter_horizontal = ["core_services"]


@admin.register(models.CrossCuttingTheme)
class CrossCuttingThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "reporting_isg", "lead"]
    autocomplete_fields = ["lead"]


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "cadence", "starts_on", "ends_on", "locked_at", "programme"]
    list_filter = ["programme", "cadence"]
    date_hierarchy = "starts_on"


@admin.register(models.PeriodSignoff)
class PeriodSignoffAdmin(admin.ModelAdmin):
    list_display = ["isg", "period", "signed_by", "signed_at"]
    list_filter = ["isg"]
    list_select_related = ["isg", "period", "signed_by"]


@admin.register(models.ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What the daily reminder job sent: read-only, for answering "did I get reminded?"."""

    list_display = ["sent_on", "kind", "recipient", "period", "isg", "items"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["recipient", "period", "isg"]
    search_fields = ["recipient__username", "recipient__email", "key"]
    readonly_fields = [f.name for f in models.ReminderSent._meta.fields]


@admin.register(models.Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are written by the roll-up and frozen when their period locks."""

    list_display = [
        "period",
        "isg",
        "as_of",
        "md_completed",
        "md_planned",
        "md_percent",
        "computed_at",
    ]
    list_filter = ["programme", "period__cadence"]
    list_select_related = ["period", "isg"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.StrategicObjective)
class StrategicObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme", "order", "active"]
    list_filter = ["programme", "active"]


class BoardPaperFileInline(admin.TabularInline):
    model = models.BoardPaperFile
    extra = 0
    fields = ["format", "issued", "status", "filename", "sha256", "size", "finished_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.BoardPaper)
class BoardPaperAdmin(SimpleHistoryAdmin):
    """Read-only: papers are written through the builder, whose services keep an issued paper
    unchanged (qip/boardpapers/services.py)."""

    list_display = ["period", "meeting", "meeting_date", "issued_at", "programme"]
    list_filter = ["programme", "meeting"]
    list_select_related = ["period", "programme"]
    inlines = [BoardPaperFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
