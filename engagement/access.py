"""Fetch the programme or an engagement record for a request: 404 for people outside the
programme, 403 for people who may look but not do this."""

from typing import Any

from core.access import get_object_for
from qip.models import Programme

from .models import Activity, Champion, FeedbackItem, Story

VIEW = "engagement.view_engagement"


def get_programme_for(request: Any, pk: int, perm: str = VIEW) -> Programme:
    return get_object_for(
        request, Programme.objects.select_related("framework"), pk, view_perm=VIEW, perm=perm
    )


def get_champion_for(request: Any, pk: int, perm: str = "engagement.manage_engagement"):
    return get_object_for(
        request, Champion.objects.select_related("programme"), pk, view_perm=VIEW, perm=perm
    )


def get_activity_for(request: Any, pk: int, perm: str = VIEW) -> Activity:
    return get_object_for(
        request,
        Activity.objects.select_related("programme").prefetch_related(
            "isgs", "root_causes", "attendance"
        ),
        pk,
        view_perm=VIEW,
        perm=perm,
    )


def get_feedback_for(request: Any, pk: int, perm: str = "engagement.view_personal") -> FeedbackItem:
    return get_object_for(
        request,
        FeedbackItem.objects.select_related(
            "programme", "activity", "responded_by", "recorded_by"
        ).prefetch_related("isgs", "root_causes", "stories"),
        pk,
        view_perm=VIEW,
        perm=perm,
    )


def get_story_for(request: Any, pk: int, perm: str = "engagement.view_story") -> Story:
    return get_object_for(
        request,
        Story.objects.select_related("programme", "isg", "approved_by").prefetch_related(
            "root_causes", "feedback"
        ),
        pk,
        view_perm="engagement.view_story",
        perm=perm,
    )
