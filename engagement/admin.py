"""The PMO's power-user view of the engagement records. Writes made here skip the services'
rules (the admin is for corrections); everyday work goes through the engagement pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Champion)
class ChampionAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "job_title",
        "department",
        "site",
        "volunteered_on",
        "induction",
    ]
    list_filter = ["programme", "kind", "induction", "site"]
    search_fields = ["name", "job_title", "department"]
    filter_horizontal = ["isgs"]
    readonly_fields = ["version", "created_at"]


class AttendanceInline(admin.TabularInline):
    model = models.ActivityAttendance
    extra = 0


@admin.register(models.Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "audience", "held_on", "reach", "forum"]
    list_filter = ["programme", "kind", "audience", "forum"]
    search_fields = ["title", "outcome", "progress_shared"]
    date_hierarchy = "held_on"
    filter_horizontal = ["isgs"]
    raw_id_fields = ["root_causes"]
    readonly_fields = ["version", "created_at", "created_by"]
    inlines = [AttendanceInline]


@admin.register(models.FeedbackItem)
class FeedbackItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "topic",
        "source",
        "received_on",
        "sentiment",
        "consent_to_publish",
        "responded_on",
        "closed_on",
    ]
    list_filter = ["programme", "source", "sentiment", "consent_to_publish"]
    search_fields = ["topic", "quote", "response"]
    date_hierarchy = "received_on"
    filter_horizontal = ["isgs"]
    raw_id_fields = ["root_causes", "activity"]
    readonly_fields = ["version", "created_at", "recorded_by", "responded_by"]


@admin.register(models.Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "isg", "status", "published_on", "for_board_paper", "for_newsletter"]
    list_filter = ["programme", "status", "for_board_paper", "for_newsletter"]
    search_fields = ["title", "concern", "change"]
    raw_id_fields = ["root_causes", "feedback"]
    readonly_fields = ["version", "created_at", "created_by", "approved_by"]


@admin.register(models.PublicPage)
class PublicPageAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "approved_at", "show_trajectory", "show_closed_findings"]
    readonly_fields = ["version", "approved_by", "approved_at"]
