from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.locking import StaleEdit

from .. import selectors, services
from ..access import get_programme_for, get_story_for
from ..forms import StoryForm, StoryReturnForm, apply_errors
from .common import MANAGE, conflict, crumbs, status_for

FIELDS = ("title", "concern", "change", "isg", "for_board_paper", "for_newsletter")


def _list_url(programme) -> str:
    return reverse("engagement-stories", args=[programme.pk])


def story_list(request, programme_pk: int):
    """Published stories for everyone; drafts and those awaiting approval for those who manage."""
    programme = get_programme_for(request, programme_pk)
    can_manage = request.user.has_perm(MANAGE, programme)
    return render(
        request,
        "engagement/story_list.html",
        {
            "programme": programme,
            "breadcrumbs": crumbs(programme, ('"Improvement in action" stories', "")),
            "can_manage": can_manage,
            "stories": selectors.stories_for_managers(programme) if can_manage else None,
            "published": None if can_manage else selectors.publishable_stories(programme),
        },
    )


def story_add(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    form = StoryForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                by=request.user,
                programme=programme,
                root_causes=form.cleaned_data["root_cause_refs"],
                feedback=list(form.cleaned_data["feedback"]),
                **{key: form.cleaned_data[key] for key in FIELDS},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved the draft. Send it to the PMO when it is ready.")
            return redirect(story.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": 'Write an "Improvement in action" story',
            "submit": "Save the draft",
            "breadcrumbs": crumbs(programme, ("Stories", _list_url(programme)), ("Write", "")),
        },
        status=status_for(form),
    )


def story_detail(request, pk: int):
    story = get_story_for(request, pk)
    programme = story.programme
    user = request.user
    can_manage = user.has_perm(MANAGE, story)
    context = {
        "programme": programme,
        "story": story,
        "can_manage": can_manage,
        "can_approve": user.has_perm("engagement.approve_story", story),
        "return_form": StoryReturnForm(),
        "breadcrumbs": crumbs(programme, ("Stories", _list_url(programme)), (story.title, "")),
    }
    if can_manage:
        context["feedback"] = story.feedback.all()
    else:
        context["published"] = selectors.publishable_stories(programme, pk=story.pk)[0]
    return render(request, "engagement/story_detail.html", context)


def story_edit(request, pk: int):
    story = get_story_for(request, pk, perm=MANAGE)
    programme = story.programme
    form = StoryForm(
        request.POST or None, programme=programme, initial=StoryForm.initial_for(story)
    )
    if request.method == "POST" and form.is_valid():
        was_published = story.is_published
        try:
            saved = services.story_update(
                by=request.user,
                story=story,
                expected_version=form.cleaned_data["version"] or 0,
                root_causes=form.cleaned_data["root_cause_refs"],
                feedback=list(form.cleaned_data["feedback"]),
                **{key: form.cleaned_data[key] for key in FIELDS},
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, story.get_absolute_url(), "story")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if was_published and not saved.is_published:
                messages.warning(
                    request,
                    "You changed a published story, so it is no longer published. It is back "
                    "with the PMO for approval.",
                )
            else:
                messages.success(request, "Saved the story.")
            return redirect(story.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": f"Edit: {story.title}",
            "submit": "Save",
            "intro": "Changing the words or the feedback of a published story takes it off the "
            "board paper, newsletter and public page until the PMO approves it again."
            if story.is_published
            else "",
            "breadcrumbs": crumbs(
                programme,
                ("Stories", _list_url(programme)),
                (story.title, story.get_absolute_url()),
                ("Edit", ""),
            ),
        },
        status=status_for(form),
    )


ACTIONS = {
    # action: (permission, service, message)
    "submit": (MANAGE, services.story_submit, "Sent to the PMO for approval."),
    "approve": (
        "engagement.approve_story",
        services.story_approve,
        "Approved: the story can now appear in the board paper, the newsletter and the public page.",
    ),
    "withdraw": (
        MANAGE,
        services.story_withdraw,
        "Withdrawn: the story is no longer published anywhere.",
    ),
}


@require_POST
def story_decide(request, pk: int):
    """Send a story for approval, approve it, send it back or withdraw it."""
    story = get_story_for(request, pk, perm=MANAGE)
    action = request.POST.get("action", "")
    try:
        if action == "return":
            if not request.user.has_perm("engagement.approve_story", story):
                raise PermissionDenied("Only the PMO can send a story back.")
            form = StoryReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["note"][0])
            services.story_return(by=request.user, story=story, note=form.cleaned_data["note"])
            messages.success(request, "Sent back to its authors with your note.")
        elif action in ACTIONS:
            perm, service, message = ACTIONS[action]
            if not request.user.has_perm(perm, story):
                raise PermissionDenied("Only the PMO can approve a story for publication.")
            service(by=request.user, story=story)
            messages.success(request, message)
        else:
            messages.error(request, "Choose what to do with the story.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(story.get_absolute_url())
