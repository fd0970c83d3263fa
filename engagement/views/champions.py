from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from core.clock import today
from core.locking import StaleEdit

from .. import selectors, services
from ..access import get_champion_for, get_programme_for
from ..forms import ChampionFilterForm, ChampionForm, apply_errors
from ..models import Champion
from .common import MANAGE, PERSONAL, conflict, crumbs, status_for


def champion_list(request, programme_pk: int):
    """The volunteers: counts and the monthly trend for everyone; names for those who manage."""
    programme = get_programme_for(request, programme_pk)
    day = today()
    can_see_names = request.user.has_perm(PERSONAL, programme)
    context = {
        "programme": programme,
        "breadcrumbs": crumbs(programme, ("Champions and advocates", "")),
        "roles": selectors.role_counts(programme, day, day),
        "trend": selectors.champion_trend(programme, day),
        "can_manage": request.user.has_perm(MANAGE, programme),
        "can_see_names": can_see_names,
    }
    if can_see_names:
        filters = ChampionFilterForm(request.GET or None)
        champions = selectors.champion_register(programme)
        if filters.is_valid():
            if filters.cleaned_data["kind"]:
                champions = champions.filter(kind=filters.cleaned_data["kind"])
            if filters.cleaned_data["induction"]:
                champions = champions.filter(induction=filters.cleaned_data["induction"])
        page = Paginator(champions, 50).get_page(request.GET.get("page"))
        context.update(filters=filters, page_obj=page)
    return render(request, "engagement/champion_list.html", context)


def _fields(data: dict) -> dict:
    return {key: data[key] for key in data if key not in ("version", "isgs")}


def champion_add(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    form = ChampionForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            champion = services.champion_record(
                by=request.user,
                programme=programme,
                isgs=list(form.cleaned_data["isgs"]),
                **_fields(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{champion.name} is on the register.")
            return redirect("engagement-champions", programme.pk)
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": "Add a volunteer",
            "submit": "Add to the register",
            "breadcrumbs": crumbs(
                programme,
                ("Champions and advocates", reverse("engagement-champions", args=[programme.pk])),
                ("Add", ""),
            ),
        },
        status=status_for(form),
    )


def champion_edit(request, pk: int):
    champion = get_champion_for(request, pk)
    programme = champion.programme
    list_url = reverse("engagement-champions", args=[programme.pk])
    form = ChampionForm(
        request.POST or None, programme=programme, initial=ChampionForm.initial_for(champion)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.champion_update(
                by=request.user,
                champion=champion,
                expected_version=form.cleaned_data["version"] or 0,
                isgs=list(form.cleaned_data["isgs"]),
                **_fields(form.cleaned_data),
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, request.path, "volunteer")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Saved {champion.name}'s details.")
            return redirect(list_url)
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": f"{champion.name}, {Champion.Kind(champion.kind).label.lower()}",
            "submit": "Save",
            "breadcrumbs": crumbs(programme, ("Champions and advocates", list_url), ("Edit", "")),
        },
        status=status_for(form),
    )
