import datetime as dt
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms

from cqc.models import KeyQuestion

from .models import KPI
from .periods import parse_period


def parse_number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if text.endswith("%"):
        text = text[:-1].strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise forms.ValidationError(f"{text!r} is not a number: enter digits, like 87.5") from exc
    if not number.is_finite():
        raise forms.ValidationError(f"{text!r} is not a number: enter digits, like 87.5")
    return number


class PeriodField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc).capitalize()) from exc


class NumberField(forms.CharField):
    def to_python(self, value):
        return parse_number(super().to_python(value))


class MeasurementForm(forms.Form):
    """Record or correct one value of one KPI."""

    period_end = PeriodField(
        label="Period ending",
        help_text="The last day of the period the value is for, e.g. 14/04/2019. For a month, 2019-04 will do.",
        error_messages={"required": "Enter the date the period ended"},
    )
    value = NumberField(
        label="Value",
        required=False,
        help_text="The figure for the period. Leave it blank if you give the counts below.",
    )
    numerator = NumberField(label="Counted", required=False)
    denominator = NumberField(label="Out of", required=False)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="Anything a reader should know, e.g. why you corrected it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kpi: KPI, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        if kpi.unit == KPI.Unit.PERCENTAGE:
            self.fields["value"].label = "Percentage"
            self.fields[
                "numerator"
            ].help_text = (
                f"Or give the counts: {kpi.numerator_label or 'how many met the standard'}"
            )
            self.fields["denominator"].help_text = kpi.denominator_label or "out of how many"
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]

    def clean(self):
        data = super().clean()
        has_counts = data.get("numerator") is not None or data.get("denominator") is not None
        if data.get("value") is None and not has_counts and not self.has_error("value"):
            self.add_error("value", "Enter the value for the period")
        return data


class GridForm(forms.Form):
    """Many KPIs × recent periods in one form. Empty cells are left alone."""

    def __init__(self, *args, kpis: list[KPI], period_ends: list[dt.date], current, locks, **kw):
        super().__init__(*args, **kw)
        self.kpis, self.period_ends, self.current = kpis, period_ends, current
        self.rows = []
        for kpi in kpis:
            cells = []
            for day in period_ends:
                name = f"v_{kpi.pk}_{day:%Y%m%d}"
                measurement = current.get((kpi.pk, day))
                locked = locks.is_locked(kpi, day)
                cell = {"name": name, "day": day, "measurement": measurement, "locked": locked}
                if not locked:
                    self.fields[name] = NumberField(
                        required=False,
                        label=f"{kpi.name}, period ending {day:%d/%m/%Y}",
                        initial=_plain(measurement.value) if measurement else "",
                    )
                    self.fields[f"ver_{kpi.pk}_{day:%Y%m%d}"] = forms.IntegerField(
                        required=False,
                        widget=forms.HiddenInput,
                        initial=measurement.version if measurement else 0,
                    )
                cells.append(cell)
            self.rows.append({"kpi": kpi, "cells": cells})

    def bound_rows(self):
        for row in self.rows:
            yield {
                "kpi": row["kpi"],
                "cells": [
                    {**cell, "field": None if cell["locked"] else self[cell["name"]]}
                    for cell in row["cells"]
                ],
            }

    def changed_cells(self):
        """(kpi, day, value, version the page showed) for each filled cell that differs."""
        for row in self.rows:
            kpi = row["kpi"]
            for cell in row["cells"]:
                if cell["locked"]:
                    continue
                value = self.cleaned_data.get(cell["name"])
                if value is None:
                    continue
                measurement = cell["measurement"]
                if measurement is not None and measurement.value == value:
                    continue
                version = self.cleaned_data.get(f"ver_{kpi.pk}_{cell['day']:%Y%m%d}") or 0
                yield cell["name"], kpi, cell["day"], value, version


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "A header row, then one row per period: period,value (or "
            "period,numerator,denominator). Periods like 2019-03-31, 31/03/2019 or 2019-03."
        ),
        error_messages={"required": "Choose a CSV file to upload"},
    )


class CsvConfirmForm(forms.Form):
    csv_text = forms.CharField(widget=forms.HiddenInput, max_length=400_000)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


VARIATION_CHOICES = [
    ("concern", "Special cause concern"),
    ("improvement", "Special cause improvement"),
    ("neutral", "Special cause, neither better nor worse"),
    ("common_cause", "Common cause"),
]
ASSURANCE_CHOICES = [
    ("consistent_fail", "Consistently failing the target"),
    ("consistent_pass", "Consistently passing the target"),
    ("inconsistent", "Hit and miss"),
    ("none", "No target"),
]


class KpiFilter(django_filters.FilterSet):
    """The summary table's filters. Domain, level and ISG filter the query; the icons are
    computed by SPC, so the view applies `variation` and `assurance` after analysis."""

    key_question = django_filters.ModelChoiceFilter(
        label="CQC domain", queryset=KeyQuestion.objects.all(), empty_label="All domains"
    )
    level = django_filters.ChoiceFilter(
        label="Kind of KPI", choices=KPI.Level.choices, empty_label="All KPIs"
    )
    isg = django_filters.ModelChoiceFilter(label="ISG", queryset=None, empty_label="All ISGs")
    variation = django_filters.ChoiceFilter(
        label="Variation", choices=VARIATION_CHOICES, empty_label="Any", method="_by_icon"
    )
    assurance = django_filters.ChoiceFilter(
        label="Assurance", choices=ASSURANCE_CHOICES, empty_label="Any", method="_by_icon"
    )

    class Meta:
        model = KPI
        fields = ["key_question", "level", "isg", "variation", "assurance"]

    def __init__(self, *args, programme=None, isg_choices=True, group_label="ISG", **kwargs):
        super().__init__(*args, **kwargs)
        if isg_choices and programme is not None:
            self.filters["isg"].queryset = programme.isgs.all()
            self.filters["isg"].label = group_label
        else:
            del self.filters["isg"]

    def _by_icon(self, queryset, name, value):
        return queryset  # applied after the SPC analysis (kpis.selectors.filter_rows)

    @property
    def icon_filters(self) -> dict:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return {"variation": data.get("variation") or "", "assurance": data.get("assurance") or ""}
