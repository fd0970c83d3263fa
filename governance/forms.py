"""Forms for escalation, change control, themes, settings and the Well-led plan.

Forms only collect and check the shape of what people type; the services decide what is
allowed and raise ValidationError, which the views put back on the form.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from qip.models import CrossCuttingTheme, ImprovementSteeringGroup, Programme
from rootcauses.models import RootCause

from .models import ChangeRequest, Escalation, EscalationRule
from .selectors import people_for_programme

SPLIT_ROWS = 3


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _person_label(user) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person_label(obj)


class RootCauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.reference}: {obj.title}"


class EscalationRaiseForm(forms.Form):
    reason = forms.CharField(
        label="Why should the ECIB look at it?",
        help_text="Say what has gone wrong, what the recovery plan is, and what you need from the executives.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the ECIB needs to look at it"},
    )


class EscalationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose a decision")] + list(Escalation.Decision.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choose the ECIB's decision"},
    )
    note = forms.CharField(
        label="Note for the owner and chair",
        help_text="Needed when you ask for more or ask for a re-plan: say what you need.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="What should change?",
        choices=ChangeRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what should change"},
    )
    proposed_due_date = forms.DateField(
        label="New due date",
        help_text="Only for a new due date. The baseline date stays on every report.",
        required=False,
        widget=_date_widget(),
        error_messages={"invalid": "Enter the new due date as a real date, for example 31/05/2019"},
    )
    proposed_owner = PersonChoiceField(
        label="New owner",
        help_text="Only for a change of owner.",
        queryset=get_user_model().objects.none(),
        required=False,
    )
    proposed_isg = forms.ModelChoiceField(
        label="Move to this ISG",
        help_text="Only for a move to another ISG.",
        queryset=ImprovementSteeringGroup.objects.none(),
        required=False,
    )
    merge_into = RootCauseChoiceField(
        label="Merge into",
        help_text="Only for a merge: the root cause that will carry on. This one is withdrawn.",
        queryset=RootCause.objects.none(),
        required=False,
    )
    rationale = forms.CharField(
        label="Why should the plan change?",
        help_text="The ECIB decides on this. Say what has changed since the plan was agreed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the plan should change"},
    )

    def __init__(self, *args, root_cause: RootCause, **kwargs):
        super().__init__(*args, **kwargs)
        self.root_cause = root_cause
        self.fields["proposed_owner"].queryset = people_for_programme(
            root_cause.programme_id
        ).exclude(pk=root_cause.owner_id)
        self.fields["proposed_isg"].queryset = ImprovementSteeringGroup.objects.filter(
            programme_id=root_cause.programme_id
        ).exclude(pk=root_cause.isg_id)
        self.fields["merge_into"].queryset = (
            RootCause.objects.filter(isg_id=root_cause.isg_id)
            .open()
            .exclude(pk=root_cause.pk)
            .order_by("reference")
        )
        for n in range(1, SPLIT_ROWS + 1):
            self.fields[f"part{n}_title"] = forms.CharField(
                label=f"New root cause {n}: title",
                help_text="Only for a split." if n == 1 else "",
                required=False,
                max_length=300,
            )
            self.fields[f"part{n}_due_date"] = forms.DateField(
                label=f"New root cause {n}: due date",
                required=False,
                widget=_date_widget(),
                error_messages={"invalid": "Enter the due date as a real date"},
            )
        # Rationale last: it is the question the ECIB reads first, after the change itself.
        self.order_fields(
            ["kind", "proposed_due_date", "proposed_owner", "proposed_isg", "merge_into"]
            + [f"part{n}_{f}" for n in range(1, SPLIT_ROWS + 1) for f in ("title", "due_date")]
            + ["rationale"]
        )

    @property
    def split_parts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"title": data.get(f"part{n}_title") or "", "due_date": data.get(f"part{n}_due_date")}
            for n in range(1, SPLIT_ROWS + 1)
        ]


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose a decision"), ("approve", "Approve"), ("reject", "Reject")],
        error_messages={"required": "Choose approve or reject"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Needed when you reject: the person who proposed it sees why.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TrajectoryColourForm(forms.Form):
    trajectory_colour = forms.ChoiceField(
        label="When does a root cause count as completed on the trajectory?",
        choices=Programme.TrajectoryColour.choices,
        widget=forms.RadioSelect,
        help_text="Blue is stricter: the board's figures count only closures an independent check has verified.",
        error_messages={"required": "Choose green or blue"},
    )


class EscalationRuleForm(forms.Form):
    active = forms.BooleanField(label="Use this rule", required=False)
    threshold = forms.IntegerField(
        label="How many times before it escalates",
        min_value=1,
        max_value=12,
        error_messages={
            "required": "Enter how many times before it escalates",
            "min_value": "Enter a number from 1 to 12",
            "max_value": "Enter a number from 1 to 12",
            "invalid": "Enter a whole number from 1 to 12",
        },
    )

    def __init__(self, *args, rule: EscalationRule, **kwargs):
        kwargs.setdefault("prefix", f"rule-{rule.kind}")
        kwargs.setdefault("initial", {"active": rule.active, "threshold": rule.threshold})
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.fields["active"].help_text = rule.get_kind_display()
        if rule.kind == "kpi_concern":
            self.fields[
                "threshold"
            ].help_text = "Not used: the KPI's statistical process control chart decides."


class EcibMeetingForm(forms.Form):
    meets_on = forms.DateField(
        label="Date of the meeting",
        widget=_date_widget(),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date as a real date, for example 02/05/2019",
        },
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)


class ThemeForm(forms.Form):
    reporting_isg = forms.ModelChoiceField(
        label="Reports through",
        help_text="The ISG the task-and-finish group reports its progress to.",
        queryset=ImprovementSteeringGroup.objects.none(),
        error_messages={"required": "Choose the ISG the group reports through"},
    )
    lead = PersonChoiceField(
        label="Chair of the task-and-finish group",
        queryset=get_user_model().objects.none(),
        required=False,
    )
    description = forms.CharField(
        label="What the theme is about", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The theme's version when the form was opened: a save after someone else's loses.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, theme: CrossCuttingTheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporting_isg"].queryset = ImprovementSteeringGroup.objects.filter(
            programme_id=theme.programme_id
        )
        self.fields["lead"].queryset = (
            get_user_model()
            .objects.filter(
                Q(pk__in=people_for_programme(theme.programme_id).values("pk"))
                | Q(pk=theme.lead_id)
            )
            .order_by("last_name", "first_name", "username")
        )


class RootCauseThemeForm(forms.Form):
    theme = forms.ModelChoiceField(
        label="Cross-cutting theme",
        help_text="Leave empty if it is not part of a theme.",
        queryset=CrossCuttingTheme.objects.none(),
        required=False,
    )
    delivered_by = forms.CharField(
        label="Delivered by",
        help_text="The corporate or clinical support service that makes the change, if not the ISG's own service.",
        required=False,
        max_length=200,
    )
    # The root cause's version when the form was opened: a save after someone else's loses.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, root_cause: RootCause, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = CrossCuttingTheme.objects.filter(
            programme_id=root_cause.programme_id
        )


class KloeReportForm(forms.Form):
    future_plans = forms.CharField(
        label="Future plans",
        help_text="What comes next for this key line of enquiry. One plan per line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class KloeLineForm(forms.Form):
    action = forms.CharField(
        label="Action over the past month",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.CharField(
        label="How we will evidence the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


KloeLineFormSet = forms.formset_factory(KloeLineForm, extra=2, max_num=20, absolute_max=20)


class SignOffForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example what the ISG agreed at the meeting.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClosureRejectForm(forms.Form):
    reason = forms.CharField(
        label="Why is closure not confirmed yet?",
        help_text="The owner sees this. Say what evidence or work is still needed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell the owner why closure is not confirmed yet"},
    )


class VerificationForm(forms.Form):
    method = forms.ChoiceField(
        label="How was it checked?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was checked"},
    )
    checked_by = forms.CharField(
        label="Who carried out the check?",
        help_text="For example: Peer review team (Deputy Director of Nursing and a governor).",
        max_length=200,
        error_messages={"required": "Enter who carried out the check"},
    )
    checked_on = forms.DateField(
        label="When was it checked?",
        widget=_date_widget(),
        error_messages={
            "required": "Enter the date of the check",
            "invalid": "Enter the date of the check as a real date",
        },
    )
    findings = forms.CharField(
        label="What did they find?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the check found"},
    )
    outcome = forms.ChoiceField(
        label="Is the change in place?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the change was found in place"},
    )

    def __init__(self, *args, **kwargs):
        from rootcauses.models import Verification

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Verification.Method.choices
        self.fields["outcome"].choices = Verification.Outcome.choices


def apply_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationError on the form: beside the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
