"""Engagement pages. Programme-wide pages hang off /programmes/<programme_pk>/engagement/;
a record's own pages off /engagement/<kind>/<pk>/."""

from django.urls import path

from .views import (
    activities,
    champions,
    feedback,
    home,
    meetings,
    public_page,
    reports,
    stories,
    surveys,
)

P = "programmes/<int:programme_pk>/engagement/"

urlpatterns = [
    path(P, home.engagement_home, name="engagement-home"),
    # Champions, advocates and listeners
    path(P + "champions/", champions.champion_list, name="engagement-champions"),
    path(P + "champions/add/", champions.champion_add, name="engagement-champion-add"),
    path(
        "engagement/champions/<int:pk>/edit/",
        champions.champion_edit,
        name="engagement-champion-edit",
    ),
    # Activities
    path(P + "activities/", activities.activity_list, name="engagement-activities"),
    path(P + "activities/add/", activities.activity_add, name="engagement-activity-add"),
    path(
        "engagement/activities/<int:pk>/",
        activities.activity_detail,
        name="engagement-activity-detail",
    ),
    path(
        "engagement/activities/<int:pk>/edit/",
        activities.activity_edit,
        name="engagement-activity-edit",
    ),
    # Partner meetings and "you said, we did"
    path(P + "meetings/", meetings.meeting_list, name="engagement-meetings"),
    path(P + "meetings/add/", meetings.meeting_add, name="engagement-meeting-add"),
    path(
        "engagement/meetings/<int:pk>/", meetings.meeting_detail, name="engagement-meeting-detail"
    ),
    path(
        "engagement/meetings/<int:pk>/edit/", meetings.meeting_edit, name="engagement-meeting-edit"
    ),
    path(
        "engagement/meetings/<int:pk>/feedback/add/",
        meetings.meeting_feedback_add,
        name="engagement-meeting-feedback-add",
    ),
    path(P + "you-said-we-did/", meetings.you_said_we_did, name="engagement-you-said-we-did"),
    # Feedback
    path(P + "feedback/", feedback.feedback_list, name="engagement-feedback"),
    path(P + "feedback/add/", feedback.feedback_add, name="engagement-feedback-add"),
    path(P + "feedback/publishable.csv", feedback.feedback_csv, name="engagement-feedback-csv"),
    path(
        "engagement/feedback/<int:pk>/", feedback.feedback_detail, name="engagement-feedback-detail"
    ),
    path(
        "engagement/feedback/<int:pk>/edit/",
        feedback.feedback_edit,
        name="engagement-feedback-edit",
    ),
    path(
        "engagement/feedback/<int:pk>/respond/",
        feedback.feedback_respond,
        name="engagement-feedback-respond",
    ),
    # "Improvement in action" stories
    path(P + "stories/", stories.story_list, name="engagement-stories"),
    path(P + "stories/add/", stories.story_add, name="engagement-story-add"),
    path("engagement/stories/<int:pk>/", stories.story_detail, name="engagement-story-detail"),
    path("engagement/stories/<int:pk>/edit/", stories.story_edit, name="engagement-story-edit"),
    path(
        "engagement/stories/<int:pk>/decide/", stories.story_decide, name="engagement-story-decide"
    ),
    # Reports
    path(P + "summary/", reports.engagement_summary, name="engagement-summary"),
    path(P + "newsletter/", reports.newsletter_digest, name="engagement-newsletter"),
    # Survey results as KPI values; the public page's settings
    path(P + "surveys/record/", surveys.survey_record, name="engagement-survey-record"),
    path(P + "public-page/", public_page.public_page_settings, name="engagement-public-settings"),
]
