from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.KPI)
class KPIAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "isg", "unit", "improvement", "target", "key_question"]
    list_filter = ["programme", "level", "isg", "key_question", "improvement"]
    search_fields = ["name", "definition"]
    autocomplete_fields = ["owner"]


@admin.register(models.Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "period_end", "value", "numerator", "denominator", "entered_by"]
    list_select_related = ["kpi", "entered_by"]
    search_fields = ["kpi__name"]
    autocomplete_fields = ["kpi", "entered_by"]


@admin.register(models.Rebase)
class RebaseAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "starts_on", "reason"]
    list_select_related = ["kpi"]
    search_fields = ["kpi__name", "reason"]
    autocomplete_fields = ["kpi"]
