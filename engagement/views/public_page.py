from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from core.locking import StaleEdit

from .. import services
from ..access import get_programme_for
from ..forms import PublicPageForm, apply_errors
from ..selectors import public_page_for
from .common import conflict, crumbs, status_for

PERM = "engagement.manage_public_page"


def _public_url(request, programme) -> str:
    try:
        return request.build_absolute_uri(reverse("public-progress", args=[programme.pk]))
    except NoReverseMatch:
        return ""


def public_page_settings(request, programme_pk: int):
    """The PMO decides whether to publish progress and approves what the public page shows."""
    programme = get_programme_for(request, programme_pk, perm=PERM)
    page = public_page_for(programme)
    initial = {
        "version": page.version if page else 0,
        "publish": programme.publish_progress,
        "introduction": page.introduction if page else "",
        "show_trajectory": page.show_trajectory if page else True,
        "show_closed_findings": page.show_closed_findings if page else True,
        "show_stories": page.show_stories if page else True,
    }
    form = PublicPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.public_page_update(
                by=request.user,
                programme=programme,
                publish=data["publish"],
                introduction=data["introduction"],
                show_trajectory=data["show_trajectory"],
                show_closed_findings=data["show_closed_findings"],
                show_stories=data["show_stories"],
                expected_version=data["version"] or 0,
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, request.path, "public page settings")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "The public page is published." if data["publish"] else "The public page is off.",
            )
            return redirect("engagement-public-settings", programme.pk)
    return render(
        request,
        "engagement/public_settings.html",
        {
            "programme": programme,
            "form": form,
            "page": page,
            "public_url": _public_url(request, programme) if programme.publish_progress else "",
            "breadcrumbs": crumbs(programme, ("Public progress page", "")),
        },
        status=status_for(form),
    )
