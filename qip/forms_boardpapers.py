"""Forms for board papers. They check the shape of what the PMO types; the services in
qip/boardpapers/services.py decide what is allowed."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from cqc.models import KeyQuestion

from .models import BoardPaper, ReportingPeriod, StrategicObjective


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MonthChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportingPeriod) -> str:
        return f"{obj}{' (board paper issued, figures frozen)' if obj.locked_at else ''}"


class BoardPaperStartForm(forms.Form):
    period = MonthChoiceField(
        label="Which month does the paper report?",
        help_text="The figures come from the end of this month.",
        queryset=ReportingPeriod.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the month the paper reports"},
    )
    meeting = forms.CharField(
        label="Meeting",
        max_length=120,
        help_text="For example Trust Board, or Quality and Safety Committee.",
        error_messages={"required": "Enter the meeting the paper goes to, for example Trust Board"},
    )
    meeting_date = forms.DateField(
        label="Date of the meeting",
        widget=_date_widget(),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as a real date, for example 30/05/2019",
        },
    )
    copy_narrative = forms.BooleanField(
        label="Start from the last paper's text as well",
        required=False,
        help_text="The cover sheet always starts from the last paper's answers. Tick this to "
        "copy its narrative too; the figures are always this month's.",
    )

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            pk__in=[m.pk for m in months]
        ).order_by("-starts_on")


class BoardPaperCoverForm(forms.Form):
    """The cover sheet, in the seed paper's order, in well-grouped sections."""

    meeting = forms.CharField(
        label="Meeting",
        max_length=120,
        error_messages={"required": "Enter the meeting the paper goes to, for example Trust Board"},
    )
    meeting_date = forms.DateField(
        label="Date of meeting",
        widget=_date_widget(),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as a real date, for example 30/05/2019",
        },
    )
    title = forms.CharField(
        label="Paper title",
        max_length=200,
        error_messages={"required": "Enter the paper's title"},
    )
    written_on = forms.DateField(
        label="Date the paper was written",
        widget=_date_widget(),
        error_messages={
            "required": "Enter the date the paper was written",
            "invalid": "Enter the date the paper was written as a real date, for example 22/05/2019",
        },
    )
    responsible_director = forms.CharField(
        label="Responsible director",
        max_length=200,
        required=False,
        help_text="Name and role, for example Simon Wright, Chief Executive.",
    )
    author = forms.CharField(
        label="Author",
        max_length=200,
        required=False,
        help_text="Name and role, for example Rajinder Biran, Head of Improving Care PMO.",
    )
    executive_summary = forms.CharField(
        label="Executive summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Leave a blank line between paragraphs; start a line with a dash and a space "
        "(- ) for a bullet; put **two stars** round words to make them bold. Left empty, "
        "the paper carries a summary written from the month's figures.",
    )
    purpose = forms.ChoiceField(
        label="What is the board asked to do?",
        choices=BoardPaper.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the board is asked to do"},
        help_text="Approve: formally approve its recommendations. Receive: discuss in depth "
        "without approving. Note: for information, without in-depth discussion. Take "
        "assurance: that effective systems of control are in place.",
    )
    cqc_domains = forms.ModelMultipleChoiceField(
        label="Link to CQC domain",
        queryset=KeyQuestion.objects.order_by("order"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every CQC key question the paper is about.",
    )
    strategic_objectives = forms.ModelMultipleChoiceField(
        label="Link to strategic objective(s)",
        queryset=StrategicObjective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick the trust's strategic objectives this paper supports.",
    )
    baf_risks = forms.CharField(
        label="Link to Board Assurance Framework risk(s)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One risk per line, with its reference, for example RR1533 We need to implement "
        "all of the integrated improvement plan.",
    )
    equality_impact = forms.ChoiceField(
        label="Equality impact assessment",
        choices=BoardPaper.EqualityImpact.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the equality impact assessment stage"},
    )
    foi_status = forms.ChoiceField(
        label="Freedom of Information Act (2000) status",
        choices=BoardPaper.FoiStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Freedom of Information status"},
    )
    financial_impact = forms.CharField(
        label="Financial assessment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Is there a financial impact associated with the paper? Left empty, the paper "
        "says there is none.",
    )
    previously_considered_by = forms.CharField(
        label="Previously considered by",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: This paper has been presented at the Executive Continuous "
        "Improvement Board.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, programme, objectives_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_objectives"].queryset = StrategicObjective.objects.filter(
            programme=programme, active=True
        ).order_by("order", "title")
        self.fields["strategic_objectives"].label_from_instance = lambda o: (
            f"{o.title}: {o.description}" if o.description else o.title
        )
        if objectives_url:
            self.fields[
                "strategic_objectives"
            ].help_text += " The PMO keeps the list on the strategic objectives page."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("The meeting", "meeting", "meeting_date", "title", "written_on"),
            Fieldset("Who", "responsible_director", "author"),
            Fieldset("Summary", "executive_summary", "previously_considered_by"),
            Fieldset("What the board is asked to do", "purpose"),
            Fieldset("Links", "cqc_domains", "strategic_objectives", "baf_risks"),
            Fieldset("Assessments", "equality_impact", "foi_status", "financial_impact"),
            "version",
        )


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Leave a blank line between paragraphs; start a line with a dash and a space "
        "(- ) for a bullet; put **two stars** round words to make them bold. The figures "
        "are not typed here: they come from the month's snapshot.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("docx", "Word (.docx)"), ("pdf", "PDF")],
        error_messages={"required": "Choose Word or PDF", "invalid_choice": "Choose Word or PDF"},
    )


class ObjectiveForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label="Objective",
        max_length=120,
        required=False,
        help_text='Its short name, e.g. "Safest and kindest". Leave empty to add nothing.',
    )
    description = forms.CharField(
        label="What it means",
        max_length=300,
        required=False,
        help_text="One sentence, as the trust's strategy puts it.",
    )
    active = forms.BooleanField(
        label="Still one of the trust's objectives",
        required=False,
        initial=True,
        help_text="Untick when the trust retires it; papers that ticked it keep it.",
    )


ObjectiveFormSet = forms.formset_factory(ObjectiveForm, extra=2, max_num=30)
