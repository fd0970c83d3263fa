from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Finding


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "finding_type", "isg", "core_service", "site", "source"]
    list_filter = ["programme", "finding_type", "isg", "source", "core_service"]
    search_fields = ["reference", "text"]
    list_select_related = ["isg", "core_service", "source"]
