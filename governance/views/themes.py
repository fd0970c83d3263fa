"""Cross-cutting themes: the task-and-finish group's page, and the PMO's forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.clock import today
from core.locking import StaleEdit
from core.spreadsheets import csv_response, wants_csv
from qip.access import get_programme_for, get_theme_for
from qip.models import CrossCuttingTheme
from rootcauses.access import get_root_cause_for
from rootcauses.brag import brag_of
from rootcauses.models import RootCause

from .. import services
from ..forms import RootCauseThemeForm, ThemeForm, apply_errors
from .common import next_url


def theme_list(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk)
    themes = (
        CrossCuttingTheme.objects.filter(programme=programme)
        .select_related("reporting_isg", "lead")
        .order_by("name")
    )
    return render(request, "governance/theme_list.html", {"programme": programme, "themes": themes})


def theme_detail(request, pk: int):
    """A theme's root causes across ISGs, for the task-and-finish group that oversees them."""
    theme = get_theme_for(request, pk)
    day = today()
    root_causes = list(
        RootCause.objects.filter(theme=theme)
        .select_related("isg", "owner", "finding")
        .order_by("isg__order", "current_due_date", "reference")
    )
    for rc in root_causes:
        rc.brag = brag_of(rc, day)
    if wants_csv(request):
        return _theme_csv(theme, root_causes, day)
    open_count = sum(1 for rc in root_causes if not rc.is_closed)
    return render(
        request,
        "governance/theme_detail.html",
        {
            "theme": theme,
            "programme": theme.programme,
            "root_causes": root_causes,
            "open_count": open_count,
            "can_manage": request.user.has_perm("governance.manage", theme),
            "today": day,
        },
    )


def theme_edit(request, pk: int):
    """The PMO chooses which ISG the theme reports through, and who chairs its group."""
    theme = get_theme_for(request, pk, perm="governance.manage")
    form = ThemeForm(
        request.POST if request.method == "POST" else None,
        theme=theme,
        initial={
            "reporting_isg": theme.reporting_isg_id,
            "lead": theme.lead_id,
            "description": theme.description,
            "version": theme.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.theme_update(
                by=request.user, theme=theme, expected_version=data.pop("version"), **data
            )
        except StaleEdit:
            return render(
                request,
                "governance/conflict.html",
                {"what": f"The theme {theme}", "back": request.path},
                status=409,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved {theme}.")
            return redirect(theme)
    return render(request, "governance/theme_edit.html", {"form": form, "theme": theme})


def root_cause_theme(request, root_cause_pk: int):
    """The PMO sets a root cause's cross-cutting theme and the service that delivers it."""
    root_cause = get_root_cause_for(request, root_cause_pk, perm="governance.set_theme")
    back = next_url(request, root_cause.isg.get_absolute_url())
    form = RootCauseThemeForm(
        request.POST if request.method == "POST" else None,
        root_cause=root_cause,
        initial={
            "theme": root_cause.theme_id,
            "delivered_by": root_cause.delivered_by,
            "version": root_cause.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.root_cause_theme_set(
                by=request.user,
                root_cause=root_cause,
                theme=form.cleaned_data["theme"],
                delivered_by=form.cleaned_data["delivered_by"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            return render(
                request,
                "governance/conflict.html",
                {"what": f"The theme of {root_cause.reference}", "back": request.path},
                status=409,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved the theme of {root_cause.reference}.")
            theme = form.cleaned_data["theme"]
            return redirect(next_url(request, theme.get_absolute_url() if theme else back))
    return render(
        request,
        "governance/root_cause_theme.html",
        {"form": form, "root_cause": root_cause, "next": back},
    )


def _theme_csv(theme, root_causes, day):
    """The theme's root causes across ISGs as CSV."""
    return csv_response(
        f"theme-{theme.pk}-{day:%Y-%m-%d}.csv",
        [
            "Root cause",
            "Title",
            theme.programme.group_label_short,
            "Type",
            "Owner",
            "Delivered by",
            "Baseline due",
            "Current due",
            "Status",
        ],
        (
            [
                rc.reference,
                rc.title,
                rc.isg.name,
                rc.finding.get_finding_type_display(),
                rc.owner.get_full_name() or rc.owner.username,
                rc.delivered_by,
                rc.baseline_due_date,
                rc.current_due_date,
                rc.brag.label,
            ]
            for rc in root_causes
        ),
    )
