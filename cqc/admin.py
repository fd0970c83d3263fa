from django.contrib import admin

from . import models


@admin.register(models.Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]


@admin.register(models.KeyQuestion)
class KeyQuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(models.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(models.AssessmentItem)
class AssessmentItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "framework", "key_question", "kind", "confirmed", "retired"]
    list_filter = ["framework", "key_question", "kind", "retired"]
    search_fields = ["code", "title", "question"]


@admin.register(models.Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "title", "fundamental_standard"]


@admin.register(models.CoreService)
class CoreServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "legacy"]


@admin.register(models.FindingSource)
class FindingSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order"]


@admin.register(models.EnforcementType)
class EnforcementTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "applies_to_nhs_trusts"]
