"""Governance pages: the ECIB agenda, escalation, change control, themes, the Well-led plan."""

from django.urls import path

from .views import changes, ecib, settings, themes, wellled

urlpatterns = [
    # The ECIB and escalation
    path("programmes/<int:programme_pk>/ecib/", ecib.ecib_agenda, name="ecib-agenda"),
    path(
        "programmes/<int:programme_pk>/ecib/check-rules/",
        ecib.escalations_evaluate,
        name="escalations-evaluate",
    ),
    path("ecib/<int:pk>/", ecib.ecib_meeting, name="ecib-meeting"),
    path("escalations/new/<int:root_cause_pk>/", ecib.escalation_raise, name="escalation-raise"),
    path("escalations/<int:pk>/decide/", ecib.escalation_decide, name="escalation-decide"),
    # Change control
    path("programmes/<int:programme_pk>/changes/", changes.change_log, name="change-log"),
    path("changes/new/<int:root_cause_pk>/", changes.change_propose, name="change-propose"),
    path("changes/<int:pk>/", changes.change_detail, name="change-detail"),
    path("changes/<int:pk>/decide/", changes.change_decide, name="change-decide"),
    # Settings
    path(
        "programmes/<int:programme_pk>/governance/",
        settings.governance_settings,
        name="governance-settings",
    ),
    # Cross-cutting themes
    path("programmes/<int:programme_pk>/themes/", themes.theme_list, name="theme-list"),
    path("themes/<int:pk>/", themes.theme_detail, name="theme-detail"),
    path("themes/<int:pk>/edit/", themes.theme_edit, name="theme-edit"),
    path(
        "themes/root-causes/<int:root_cause_pk>/",
        themes.root_cause_theme,
        name="rootcause-theme",
    ),
    # The Well-led plan
    path("isgs/<int:isg_pk>/well-led/", wellled.wellled_plan, name="wellled-plan"),
    path("isgs/<int:isg_pk>/well-led/history/", wellled.wellled_history, name="wellled-history"),
    path(
        "isgs/<int:isg_pk>/well-led/<int:period_pk>/",
        wellled.wellled_month,
        name="wellled-month",
    ),
    path(
        "isgs/<int:isg_pk>/well-led/<int:period_pk>/<int:item_pk>/",
        wellled.wellled_edit,
        name="wellled-edit",
    ),
]
