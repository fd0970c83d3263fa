"""Forms for the engagement pages. They collect and tidy input; the services decide.

Root causes are entered by reference ("UC-MD-01 RC1, UC-MD-07 RC1"): a programme has hundreds,
far too many for a list on a phone, and owners know their references.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from core.forms import ModelMultipleChoiceField
from qip.models import ImprovementSteeringGroup
from rootcauses.models import RootCause

from .models import Activity, Audience, Champion, FeedbackItem, Story
from .selectors import high_level_kpis


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: str, *, required: bool = True, help_text: str = "", message: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "required": message or f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date, e.g. 26/04/2019.",
        },
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
    else:
        for message in error.messages:
            form.add_error(None, message)


class VersionedForm(forms.Form):
    """Carries the version the record was read at, so a later save cannot overwrite a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ProgrammeChoicesMixin:
    """Limits group choices to the programme and resolves root cause references."""

    programme = None

    def _setup_programme(self, programme) -> None:
        self.programme = programme
        if "isgs" in self.fields:
            self.fields["isgs"].queryset = ImprovementSteeringGroup.objects.filter(
                programme=programme
            ).order_by("order", "name")
        if "isg" in self.fields:
            self.fields["isg"].queryset = ImprovementSteeringGroup.objects.filter(
                programme=programme
            ).order_by("order", "name")

    def clean_root_cause_refs(self) -> list:
        text = self.cleaned_data.get("root_cause_refs") or ""
        refs = [ref.strip() for ref in re.split(r"[,;\n]+", text) if ref.strip()]
        if not refs:
            return []
        found = {
            rc.reference.casefold(): rc
            for rc in RootCause.objects.filter(programme=self.programme).filter(reference__in=refs)
        }
        if len(found) < len({ref.casefold() for ref in refs}):
            # References are stored as typed; try a case-insensitive match before giving up.
            for ref in refs:
                if ref.casefold() not in found:
                    match = RootCause.objects.filter(
                        programme=self.programme, reference__iexact=ref
                    ).first()
                    if match:
                        found[ref.casefold()] = match
        missing = [ref for ref in refs if ref.casefold() not in found]
        if missing:
            raise ValidationError(
                "There is no root cause "
                + ", ".join(f'"{ref}"' for ref in missing)
                + " in this programme. Check the reference, e.g. UC-MD-01 RC1."
            )
        unique = {rc.pk: rc for rc in found.values()}
        return list(unique.values())


def _refs_field() -> forms.CharField:
    return forms.CharField(
        label="Root causes it relates to (optional)",
        required=False,
        max_length=2000,
        help_text="Their references, separated by commas, e.g. UC-MD-01 RC1, UC-MD-07 RC1.",
    )


def _isgs_field(help_text: str = "") -> ModelMultipleChoiceField:
    return ModelMultipleChoiceField(
        label="Improvement steering groups (optional)",
        queryset=ImprovementSteeringGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text or "Tick the groups whose work this relates to.",
    )


def references_text(root_causes) -> str:
    return ", ".join(rc.reference for rc in root_causes)


# ---------------------------------------------------------------------------------------


class ChampionForm(ProgrammeChoicesMixin, VersionedForm):
    kind = forms.ChoiceField(
        label="Role in the programme",
        choices=Champion.Kind.choices,
        widget=forms.RadioSelect,
        initial=Champion.Kind.ENGAGEMENT_CHAMPION,
        error_messages={"required": "Choose the role they volunteered for."},
    )
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={"required": "Enter the person's name."},
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=120,
        help_text='What they do, e.g. "Staff nurse" or "Healthcare assistant".',
        error_messages={"required": "Enter their job title."},
    )
    department = forms.CharField(
        label="Department or ward (optional)", max_length=120, required=False
    )
    site = forms.CharField(
        label="Site (optional)",
        max_length=120,
        required=False,
        help_text="The hospital they work at, or leave empty if they work across the trust.",
    )
    isgs = _isgs_field("The groups whose news they will share, if any.")
    volunteered_on = _date("Date they volunteered")
    induction = forms.ChoiceField(
        label="Induction",
        choices=Champion.Induction.choices,
        widget=forms.RadioSelect,
        initial=Champion.Induction.NOT_BOOKED,
        error_messages={"required": "Choose where their induction is up to."},
    )
    inducted_on = _date(
        "Date of induction",
        required=False,
        help_text='Only when the induction is "Inducted".',
    )
    stood_down_on = _date(
        "Date they stood down (optional)",
        required=False,
        help_text="Only if they have given up the role.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_programme(programme)

    @classmethod
    def initial_for(cls, champion: Champion) -> dict:
        return {
            "version": champion.version,
            "kind": champion.kind,
            "name": champion.name,
            "job_title": champion.job_title,
            "department": champion.department,
            "site": champion.site,
            "isgs": list(champion.isgs.all()),
            "volunteered_on": champion.volunteered_on,
            "induction": champion.induction,
            "inducted_on": champion.inducted_on,
            "stood_down_on": champion.stood_down_on,
        }


SELECT = forms.Select(attrs={"class": "form-select"})


class ChampionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Role",
        choices=[("", "All roles"), *Champion.Kind.choices],
        required=False,
        widget=SELECT,
    )
    induction = forms.ChoiceField(
        label="Induction",
        choices=[("", "Any"), *Champion.Induction.choices],
        required=False,
        widget=SELECT,
    )


class ActivityForm(ProgrammeChoicesMixin, VersionedForm):
    kind = forms.ChoiceField(
        label="What kind of activity",
        choices=[c for c in Activity.Kind.choices if c[0] != Activity.Kind.PARTNER_MEETING],
        error_messages={"required": "Choose what kind of activity it was."},
        help_text='Record a meeting with regulators or commissioners under "Partner meetings".',
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text='e.g. "Improving Together newsletter, issue 1".',
        error_messages={"required": "Enter a title for the activity."},
    )
    audience = forms.ChoiceField(
        label="Who it was for",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the activity was for."},
    )
    held_on = _date(
        "Date", help_text="The day it happened, or is planned. For a survey: the day it opened."
    )
    ends_on = _date(
        "Last day (optional)", required=False, help_text="For a survey: the day it closes."
    )
    reach = forms.IntegerField(
        label="How many people it reached (optional)",
        required=False,
        min_value=0,
        help_text="A rough number is fine: people who came, replied or were sent it.",
        error_messages={
            "invalid": "Enter the number of people as a whole number, e.g. 25.",
            "min_value": "The number of people cannot be negative.",
        },
    )
    isgs = _isgs_field()
    root_cause_refs = _refs_field()
    outcome = forms.CharField(
        label="What came of it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='What people told us and what we will do, e.g. "Chief Executive\'s cascade introduced".',
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_programme(programme)

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        return {
            "version": activity.version,
            "kind": activity.kind,
            "title": activity.title,
            "audience": activity.audience,
            "held_on": activity.held_on,
            "ends_on": activity.ends_on,
            "reach": activity.reach,
            "isgs": list(activity.isgs.all()),
            "root_cause_refs": references_text(activity.root_causes.all()),
            "outcome": activity.outcome,
        }


ATTENDANCE_LINE = re.compile(r"^(?P<organisation>.+?)\s*[:\-–]\s*(?P<count>\d+)\s*$")


class MeetingForm(ProgrammeChoicesMixin, VersionedForm):
    forum = forms.ChoiceField(
        label="Which meeting",
        choices=Activity.Forum.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which meeting it was."},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text='e.g. "SOAG, April 2019".',
        error_messages={"required": "Enter a title for the meeting."},
    )
    held_on = _date("Date of the meeting")
    attendance = forms.CharField(
        label="Who came, by organisation",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text='One organisation per line with the number of people, e.g. "NHS England and '
        'Improvement: 2". No names.',
        error_messages={"required": "List the organisations that came, one per line."},
    )
    progress_shared = forms.CharField(
        label="Progress the trust shared",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what progress the trust shared."},
    )
    isgs = _isgs_field()
    outcome = forms.CharField(
        label="What came of it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Partners' feedback is recorded item by item on the meeting's page.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_programme(programme)

    def clean_attendance(self) -> list[tuple[str, int]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["attendance"].splitlines(), start=1):
            if not line.strip():
                continue
            match = ATTENDANCE_LINE.match(line.strip())
            if not match:
                raise ValidationError(
                    f"Line {number}: write the organisation, a colon and the number of people, "
                    'e.g. "Healthwatch: 1".'
                )
            count = int(match.group("count"))
            if count < 1:
                raise ValidationError(f"Line {number}: the number of people must be 1 or more.")
            rows.append((match.group("organisation").strip(), count))
        if not rows:
            raise ValidationError("List the organisations that came, one per line.")
        return rows

    @classmethod
    def initial_for(cls, meeting: Activity) -> dict:
        return {
            "version": meeting.version,
            "forum": meeting.forum,
            "title": meeting.title,
            "held_on": meeting.held_on,
            "attendance": "\n".join(
                f"{row.organisation}: {row.attendees}" for row in meeting.attendance.all()
            ),
            "progress_shared": meeting.progress_shared,
            "isgs": list(meeting.isgs.all()),
            "outcome": meeting.outcome,
        }


class FeedbackForm(ProgrammeChoicesMixin, VersionedForm):
    source = forms.ChoiceField(
        label="Who gave the feedback",
        choices=FeedbackItem.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gave the feedback."},
    )
    received_on = _date("Date it was given")
    channel = forms.CharField(
        label="How it reached us (optional)",
        max_length=120,
        required=False,
        help_text='e.g. "Friends and Family Test", "focus group", "SOAG".',
    )
    topic = forms.CharField(
        label="What it was about",
        max_length=200,
        help_text="A few words, without names. Everyone in the programme can read this.",
        error_messages={"required": "Say in a few words what the feedback was about."},
    )
    quote = forms.CharField(
        label="What they said",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Their words. Only the PMO and engagement leads can read this unless they "
        "agreed to publication.",
        error_messages={"required": "Enter what they said."},
    )
    sentiment = forms.ChoiceField(
        label="Was it positive or negative?",
        choices=FeedbackItem.Sentiment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the feedback was positive or negative."},
    )
    consent_to_publish = forms.BooleanField(
        label="They agreed that their words may be published",
        required=False,
        help_text="In the board paper, the newsletter or on the public page. Leave unticked "
        "if you are not sure.",
    )
    attribution = forms.CharField(
        label="How to credit the quote (no names)",
        max_length=120,
        required=False,
        help_text='Needed when they agreed to publication, e.g. "A parent, Emergency Department".',
    )
    activity = forms.ModelChoiceField(
        label="Where it was given (optional)",
        queryset=Activity.objects.none(),
        required=False,
        empty_label="Not at one of our activities",
    )
    isgs = _isgs_field()
    root_cause_refs = _refs_field()

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_programme(programme)
        self.fields["activity"].queryset = Activity.objects.filter(programme=programme).order_by(
            "-held_on", "title"
        )

    @classmethod
    def initial_for(cls, item: FeedbackItem) -> dict:
        return {
            "version": item.version,
            "source": item.source,
            "received_on": item.received_on,
            "channel": item.channel,
            "topic": item.topic,
            "quote": item.quote,
            "sentiment": item.sentiment,
            "consent_to_publish": item.consent_to_publish,
            "attribution": item.attribution,
            "activity": item.activity_id,
            "isgs": list(item.isgs.all()),
            "root_cause_refs": references_text(item.root_causes.all()),
        }


class FeedbackFilterForm(forms.Form):
    source = forms.ChoiceField(
        label="From",
        choices=[("", "Everyone"), *FeedbackItem.Source.choices],
        required=False,
        widget=SELECT,
    )
    status = forms.ChoiceField(
        label="Response",
        choices=[("", "Any"), *FeedbackItem.Status.choices],
        required=False,
        widget=SELECT,
    )


class ResponseForm(VersionedForm):
    response = forms.CharField(
        label="What the trust did about it",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='Our side of "you said, we did". Write it without names.',
        error_messages={"required": "Enter what the trust did, or is doing, about it."},
    )
    close = forms.BooleanField(
        label="This is done: close the feedback",
        required=False,
        help_text="Leave unticked while the work is still going on.",
    )


class StoryForm(ProgrammeChoicesMixin, VersionedForm):
    title = forms.CharField(
        label="Heading",
        max_length=120,
        help_text='e.g. "ED: children\'s streaming".',
        error_messages={"required": "Enter a short heading for the story."},
    )
    concern = forms.CharField(
        label="What people were concerned about",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='e.g. "Concerns were raised about how quickly sick children are seen in our ED".',
        error_messages={"required": "Say what people were concerned about."},
    )
    change = forms.CharField(
        label="As a result of this we…",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Finish the sentence, e.g. "recruited additional nurses and now stream children '
        'within 15 minutes of arrival".',
        error_messages={"required": 'Finish the sentence "As a result of this we…".'},
    )
    isg = forms.ModelChoiceField(
        label="Improvement steering group (optional)",
        queryset=ImprovementSteeringGroup.objects.none(),
        required=False,
        empty_label="None in particular",
    )
    root_cause_refs = _refs_field()
    feedback = ModelMultipleChoiceField(
        label="Feedback that shows the effect",
        queryset=FeedbackItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only feedback whose author agreed to publication can be approved.",
    )
    for_board_paper = forms.BooleanField(label="Use it in the board paper", required=False)
    for_newsletter = forms.BooleanField(label="Use it in the newsletter", required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_programme(programme)
        self.fields["feedback"].queryset = FeedbackItem.objects.filter(
            programme=programme
        ).order_by("-received_on", "-pk")
        self.fields["feedback"].label_from_instance = _feedback_choice_label

    @classmethod
    def initial_for(cls, story: Story) -> dict:
        return {
            "version": story.version,
            "title": story.title,
            "concern": story.concern,
            "change": story.change,
            "isg": story.isg_id,
            "root_cause_refs": references_text(story.root_causes.all()),
            "feedback": list(story.feedback.all()),
            "for_board_paper": story.for_board_paper,
            "for_newsletter": story.for_newsletter,
        }


def _feedback_choice_label(item: FeedbackItem) -> str:
    consent = "may be published" if item.consent_to_publish else "no consent to publish"
    return f"{item.received_on:%d/%m/%Y}, {item.get_source_display().lower()}: {item.topic} ({consent})"


class StoryReturnForm(forms.Form):
    note = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what needs to change before you can approve it."},
    )


class SurveyResultForm(ProgrammeChoicesMixin, forms.Form):
    kpi = forms.ModelChoiceField(
        label="KPI the survey measures",
        queryset=None,
        required=False,
        empty_label="A new KPI (name it below)",
        help_text="One of the programme's high-level KPIs.",
    )
    new_kpi_name = forms.CharField(
        label="Name of a new KPI",
        max_length=200,
        required=False,
        help_text='Only if it is not in the list, e.g. "% of staff who would recommend the trust '
        'as a place to work".',
    )
    isg = forms.ModelChoiceField(
        label="Group for a new KPI",
        queryset=ImprovementSteeringGroup.objects.none(),
        required=False,
        empty_label="Choose a group",
        help_text="The group whose high-level KPI it becomes.",
    )
    period_end = _date("Date the survey closed")
    value = forms.DecimalField(
        label="Result (%)",
        required=False,
        max_digits=10,
        decimal_places=4,
        help_text="e.g. 61.5. Or give the two numbers below and we will work it out.",
        error_messages={"invalid": "Enter the result as a number, e.g. 61.5."},
    )
    numerator = forms.DecimalField(
        label="People who agreed (optional)",
        required=False,
        max_digits=10,
        decimal_places=0,
        error_messages={"invalid": "Enter a whole number of people."},
    )
    denominator = forms.DecimalField(
        label="People who answered (optional)",
        required=False,
        max_digits=10,
        decimal_places=0,
        error_messages={"invalid": "Enter a whole number of people."},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=300,
        required=False,
        help_text='e.g. "First pulse survey, 1,204 responses".',
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_programme(programme)
        self.fields["kpi"].queryset = high_level_kpis(programme).order_by("isg__order", "name")
        self.fields["kpi"].label_from_instance = lambda kpi: f"{kpi.name} ({kpi.isg})"


class PublicPageForm(VersionedForm):
    publish = forms.BooleanField(
        label="Publish the programme's progress on a public page",
        required=False,
        help_text="Anyone with the link can read it, without signing in. Untick to take it down "
        "at once.",
    )
    introduction = forms.CharField(
        label="Introduction for the public",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few plain sentences: what the CQC found and what the trust is doing. No names.",
    )
    show_trajectory = forms.BooleanField(
        label="Show progress against plan for each group", required=False
    )
    show_closed_findings = forms.BooleanField(
        label="Show the CQC findings we have completed", required=False
    )
    show_stories = forms.BooleanField(
        label='Show approved "Improvement in action" stories', required=False
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label="Month",
        required=False,
        max_length=7,
        widget=forms.TextInput(
            attrs={
                "type": "month",
                "placeholder": "2019-04",
                "class": "form-control form-control-sm",
            }
        ),
        help_text="Year and month, e.g. 2019-04.",
    )
