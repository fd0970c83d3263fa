"""Forms for the owner's pages. Business rules stay in rootcauses/services.py; these forms
check what a browser sends (types, required fields, the file's content) and word every
message for a nurse on a ward PC.
"""

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from core.clock import today

from .models import RAG, EvidenceFile, RootCause
from .uploads import ACCEPT_ATTRIBUTE, ALLOWED_DESCRIPTION, check_evidence_upload, max_size_text

RAG_CHOICES = [
    (RAG.ON_TRACK.value, "On track: it will be finished by the due date"),
    (RAG.AT_RISK.value, "At risk: it may slip unless something changes"),
    (RAG.OFF_TRACK.value, "Off track: it will not be finished by the due date"),
]

# Errors raised by services name their own fields; these are the form's names for them.
SERVICE_FIELD_NAMES = {
    "value": "kpi_value",
    "numerator": "kpi_numerator",
    "denominator": "kpi_denominator",
    "note": "note",
}


class DateInput(forms.DateInput):
    """The browser's date picker; without it, people type 27/06/2019 or 2019-06-27."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, help_text: str, *, required: bool, missing: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        widget=DateInput(),
        error_messages={
            "required": missing or f"Enter {label.lower()}",
            "invalid": "Enter a real date, for example 27/06/2019",
        },
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside its field, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = SERVICE_FIELD_NAMES.get(name, name)
            for message in ValidationError(errors).messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class EvidenceFieldsMixin:
    """One evidence file with what it shows, the date it applies from and a review date.

    With `prefix` "evidence_" the fields are evidence_file, evidence_description, ...
    """

    evidence_prefix = "evidence_"
    evidence_required = False

    def add_evidence_fields(self, fields: dict, *, required: bool) -> None:
        p = self.evidence_prefix
        fields[p + "file"] = forms.FileField(
            label="Evidence file" if required else "Evidence file (optional)",
            required=required,
            help_text=f"{ALLOWED_DESCRIPTION}, up to {max_size_text()}.",
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
            error_messages={
                "required": "Choose the file to upload",
                "empty": "The file is empty",
                "invalid": "Choose a file to upload",
            },
        )
        fields[p + "description"] = forms.CharField(
            label="What does this file show?",
            required=False,
            max_length=300,
            help_text='For example: "Audit of escalation calls in March: 96% followed the policy".',
            error_messages={"max_length": "Keep it to 300 characters or fewer"},
        )
        fields[p + "effective_from"] = date_field(
            "Effective from",
            "The date the evidence applies from, for example the last day of the audit.",
            required=False,
        )
        fields[p + "review_by"] = date_field(
            "Review by (optional)",
            "When someone should check again that the change has lasted. We will remind the "
            "owner when this date has passed.",
            required=False,
        )

    def clean_evidence_fields(self, cleaned: dict) -> None:
        p = self.evidence_prefix
        upload = cleaned.get(p + "file")
        if upload is None:
            if (cleaned.get(p + "description") or "").strip() and p + "file" not in self.errors:
                self.add_error(
                    p + "file", "Choose the file to upload, or clear what the file shows"
                )
            return
        try:
            self.checked_upload = check_evidence_upload(upload)
        except ValidationError as exc:
            self.add_error(p + "file", exc.messages[0])
        if not (cleaned.get(p + "description") or "").strip():
            self.add_error(p + "description", "Say what this file shows, in a few words")
        if cleaned.get(p + "effective_from") is None and p + "effective_from" not in self.errors:
            self.add_error(p + "effective_from", "Enter the date the evidence applies from")
        review_by, effective_from = cleaned.get(p + "review_by"), cleaned.get(p + "effective_from")
        if review_by and effective_from and review_by <= effective_from:
            self.add_error(
                p + "review_by", "The review date must be after the date it applies from"
            )

    def evidence_items(self) -> list:
        from .services import NewEvidence

        p = self.evidence_prefix
        upload = self.cleaned_data.get(p + "file")
        if upload is None:
            return []
        return [
            NewEvidence(
                file=upload,
                description=self.cleaned_data.get(p + "description") or "",
                effective_from=self.cleaned_data.get(p + "effective_from"),
                review_by=self.cleaned_data.get(p + "review_by"),
            )
        ]


def period_word(root_cause: RootCause) -> str:
    """ "sprint" or "month": what the owner's ISG calls its reporting period."""
    return "month" if root_cause.isg.cadence == "monthly" else "sprint"


class UpdateForm(EvidenceFieldsMixin, forms.Form):
    """The period's update: RAG, narrative, recovery, the KPI value, actions done, a file."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    period = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    rag = forms.ChoiceField(
        label="How is it going?",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose on track, at risk or off track"},
    )
    narrative = forms.CharField(
        label="What has happened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Say in a sentence or two what has happened",
            "max_length": "Keep it to 5,000 characters or fewer",
        },
    )
    recovery_note = forms.CharField(
        label="What will bring it back on track?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Only needed if it is off track: the recovery plan, in a sentence or two.",
        error_messages={"max_length": "Keep it to 5,000 characters or fewer"},
    )
    forecast_date = date_field(
        "When do you now expect to finish?",
        "Only needed if it is off track.",
        required=False,
    )

    def __init__(self, *args: Any, root_cause: RootCause, period, actions=(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.root_cause = root_cause
        self.period = period
        self.checked_upload = None
        word = period_word(root_cause)
        self.fields["narrative"].help_text = (
            f"What was done this {word} and what happens next, in plain words. "
            "The ISG reads this at its meeting."
        )
        self.fields["narrative"].label = f"What has happened this {word}?"
        kpi = root_cause.kpi
        self.has_kpi = kpi is not None
        self.percentage_kpi = kpi is not None and kpi.unit == "percentage"
        if kpi is not None:
            target = f" The target is {kpi.target.normalize():f}." if kpi.target is not None else ""
            unit = kpi.unit_label or kpi.get_unit_display().lower()
            self.fields["kpi_value"] = forms.DecimalField(
                label=f"KPI value for this {word} (optional)",
                required=False,
                max_digits=14,
                decimal_places=4,
                help_text=f"{kpi.name}, as a {unit}.{target} Leave it blank if you do not have "
                "the figure yet.",
                error_messages={
                    "invalid": "Enter the KPI value as a number, for example 87.5",
                    "max_digits": "Enter a smaller number",
                    "max_decimal_places": "Use no more than 4 decimal places",
                },
            )
            if self.percentage_kpi:
                self.fields["kpi_numerator"] = forms.DecimalField(
                    label="Or the count that met the standard (optional)",
                    required=False,
                    max_digits=14,
                    decimal_places=4,
                    help_text="For example 23 of 25 audited: enter 23 here and 25 below, and we "
                    "work out the percentage.",
                    error_messages={"invalid": "Enter a number, for example 23"},
                )
                self.fields["kpi_denominator"] = forms.DecimalField(
                    label="Out of how many (optional)",
                    required=False,
                    max_digits=14,
                    decimal_places=4,
                    error_messages={"invalid": "Enter a number, for example 25"},
                )
        self.open_actions = [a for a in actions if a.done_on is None]
        self.done_actions = [a for a in actions if a.done_on is not None]
        if self.open_actions:
            self.fields["actions_done"] = forms.MultipleChoiceField(
                label="Actions finished",
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(a.pk), _action_label(a)) for a in self.open_actions],
                help_text=f"Tick any action that was finished this {word}.",
                error_messages={"invalid_choice": "Choose from this root cause's actions"},
            )
        self.add_evidence_fields(self.fields, required=False)
        self.fields["evidence_effective_from"].initial = today()
        self.helper = self._helper(word)

    def _helper(self, word: str) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_id = "update-form"
        helper.attrs = {"novalidate": ""}
        kpi_fields = [
            name
            for name in ("kpi_value", "kpi_numerator", "kpi_denominator")
            if name in self.fields
        ]
        helper.layout = Layout(
            "version",
            "period",
            "rag",
            Div(
                HTML(
                    '<p class="qip-reveal__hint">If it is off track, also answer these two '
                    "questions.</p>"
                ),
                "recovery_note",
                "forecast_date",
                css_class="qip-reveal",
                data_reveal_when="rag",
                data_reveal_value="off_track",
                css_id="recovery-fields",
            ),
            "narrative",
            *([Fieldset("The KPI", *kpi_fields)] if kpi_fields else []),
            *(["actions_done"] if "actions_done" in self.fields else []),
            Fieldset(
                "Evidence",
                "evidence_file",
                "evidence_description",
                "evidence_effective_from",
                "evidence_review_by",
            ),
            Submit("submit", f"Save this {word}'s update", css_class="btn-primary"),
        )
        return helper

    def clean_actions_done(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("actions_done") or []]

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_evidence_fields(cleaned)
        return cleaned


def _action_label(action) -> str:
    due = f" (due {action.due_date:%d/%m/%Y})" if action.due_date else ""
    return f"{action.description}{due}"


class ClosureRequestForm(EvidenceFieldsMixin, forms.Form):
    """The owner asks the chair to confirm the fix, citing evidence (new or already uploaded)."""

    note = forms.CharField(
        label="How has the root cause been fixed?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What changed, and what the evidence shows. The ISG chair reads this before "
        "confirming closure.",
        error_messages={
            "required": "Say how the root cause has been fixed and what the evidence shows",
            "max_length": "Keep it to 5,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, root_cause: RootCause, citable=(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.root_cause = root_cause
        self.checked_upload = None
        self.citable = list(citable)
        if self.citable:
            self.fields["evidence_files"] = forms.MultipleChoiceField(
                label="Evidence already uploaded",
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(e.pk), _evidence_label(e)) for e in self.citable],
                help_text="Tick the files that show the root cause is fixed.",
                error_messages={"invalid_choice": "Choose from this root cause's evidence files"},
            )
        self.add_evidence_fields(self.fields, required=False)
        self.fields["evidence_file"].label = "Upload a new evidence file" + (
            " (if not ticked above)" if self.citable else ""
        )
        self.fields["evidence_effective_from"].initial = today()
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_id = "closure-form"
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(
            "note",
            Fieldset(
                "Closure evidence",
                *(["evidence_files"] if self.citable else []),
                "evidence_file",
                "evidence_description",
                "evidence_effective_from",
                "evidence_review_by",
            ),
            Submit("submit", "Ask the chair to confirm closure", css_class="btn-primary"),
        )
        self.helper = helper

    def clean_evidence_files(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("evidence_files") or []]

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_evidence_fields(cleaned)
        # The form asks for evidence; the service does not, so that the import and the
        # demo can record closures requested before this product held the files.
        if (
            not cleaned.get("evidence_files")
            and cleaned.get("evidence_file") is None
            and "evidence_file" not in self.errors
        ):
            self.add_error(
                "evidence_file",
                "Attach the evidence that shows the root cause is fixed: upload a file"
                + (" or tick one already uploaded" if self.citable else ""),
            )
        return cleaned


def _evidence_label(evidence: EvidenceFile) -> str:
    return f"{evidence.original_name}: {evidence.description} (from {evidence.effective_from:%d/%m/%Y})"


class EvidenceForm(EvidenceFieldsMixin, forms.Form):
    """Add one evidence file to a root cause, outside an update (a re-audit, a new policy)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.checked_upload = None
        self.add_evidence_fields(self.fields, required=True)
        self.fields["evidence_effective_from"].initial = today()
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_id = "evidence-form"
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(
            "evidence_file",
            "evidence_description",
            "evidence_effective_from",
            "evidence_review_by",
            Submit("submit", "Upload evidence", css_class="btn-primary"),
        )
        self.helper = helper

    def clean(self) -> dict:
        cleaned = super().clean()
        self.clean_evidence_fields(cleaned)
        return cleaned


class EvidenceReviewForm(forms.Form):
    """Someone checked the evidence still shows the change: the next review date."""

    review_by = date_field(
        "Next review by (optional)",
        "Leave it blank if the file does not need checking again.",
        required=False,
    )

    def clean_review_by(self) -> dt.date | None:
        value = self.cleaned_data.get("review_by")
        if value is not None and value <= today():
            raise ValidationError("The next review date must be in the future")
        return value
