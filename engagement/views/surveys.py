from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .. import services
from ..access import get_programme_for
from ..forms import SurveyResultForm, apply_errors
from .common import MANAGE, crumbs, status_for


def survey_record(request, programme_pk: int):
    """Record a pulse or staff survey result as a high-level KPI value, charted like any KPI."""
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    form = SurveyResultForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measurement = services.survey_result_record(
                by=request.user,
                programme=programme,
                kpi=data["kpi"],
                new_kpi_name=data["new_kpi_name"],
                isg=data["isg"],
                period_end=data["period_end"],
                value=data["value"],
                numerator=data["numerator"],
                denominator=data["denominator"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Recorded {measurement.value.normalize():f}% for “{measurement.kpi.name}” "
                f"at {measurement.period_end:%d/%m/%Y}.",
            )
            return redirect("engagement-home", programme.pk)
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": "Record a survey result",
            "intro": "A pulse or staff survey result becomes a value of one of the programme's "
            "high-level KPIs, so it appears on the KPI charts with everything else.",
            "submit": "Record the result",
            "breadcrumbs": crumbs(programme, ("Record a survey result", "")),
        },
        status=status_for(form),
    )
