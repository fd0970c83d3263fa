"""Flat serializers: each row stands alone in a Power BI table, with names beside ids and
numbers as numbers (not strings)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.clock import today
from findings.models import Finding
from kpis.models import KPI, Measurement
from rootcauses.brag import brag_of
from rootcauses.models import Action, RootCause, Update

from ..models import ImprovementSteeringGroup, ReportingPeriod, Snapshot


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


class PersonNameField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return _name(value)


# Null when nobody is recorded (an ISG without an accountable executive yet).
PersonName = extend_schema_field({"type": "string", "nullable": True})(PersonNameField)


def Number(**kwargs):  # noqa: N802 - reads like a field class
    return serializers.DecimalField(
        max_digits=14, decimal_places=4, coerce_to_string=False, read_only=True, **kwargs
    )


class IsgSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    chair_name = PersonName(source="chair")
    accountable_executive_name = PersonName(source="accountable_executive")

    class Meta:
        model = ImprovementSteeringGroup
        fields = [
            "id",
            "programme_id",
            "programme_name",
            "name",
            "code",
            "cadence",
            "chair_name",
            "accountable_executive_name",
            "structured_by_kloe",
            "order",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    is_locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "programme_id",
            "cadence",
            "number",
            "label",
            "starts_on",
            "ends_on",
            "is_locked",
        ]


class SnapshotSerializer(serializers.ModelSerializer):
    """One ISG's (or, with no ISG, the programme's) roll-up at the end of one period."""

    period_label = serializers.CharField(source="period.label", read_only=True)
    period_cadence = serializers.CharField(source="period.cadence", read_only=True)
    isg_name = serializers.CharField(
        source="isg.name", read_only=True, default=None, allow_null=True
    )
    md_percent = serializers.FloatField(read_only=True, allow_null=True)
    sd_percent = serializers.FloatField(read_only=True, allow_null=True)
    frozen = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = [
            "id",
            "programme_id",
            "period_id",
            "period_label",
            "period_cadence",
            "isg_id",
            "isg_name",
            "as_of",
            "md_planned",
            "md_planned_current",
            "md_completed",
            "md_planned_in_period",
            "md_planned_current_in_period",
            "md_completed_in_period",
            "md_percent",
            "sd_planned",
            "sd_planned_current",
            "sd_completed",
            "sd_planned_in_period",
            "sd_planned_current_in_period",
            "sd_completed_in_period",
            "sd_percent",
            "open_count",
            "completed_count",
            "verified_count",
            "withdrawn_count",
            "overdue_count",
            "missing_updates",
            "rag_on_track",
            "rag_at_risk",
            "rag_off_track",
            "rag_none",
            "computed_at",
            "frozen",
        ]

    def get_frozen(self, snapshot) -> bool:
        """True once a board paper issued for the period has locked it."""
        return snapshot.period.locked_at is not None


class FindingSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    isg_name = serializers.CharField(source="isg.name", read_only=True)
    isg_code = serializers.CharField(source="isg.code", read_only=True)
    finding_type_label = serializers.CharField(source="get_finding_type_display", read_only=True)
    core_service_code = serializers.CharField(
        source="core_service.code", read_only=True, default=None, allow_null=True
    )
    core_service_name = serializers.CharField(
        source="core_service.name", read_only=True, default=None, allow_null=True
    )
    cqc_domains = serializers.SerializerMethodField()
    regulation_number = serializers.CharField(
        source="regulation.number", read_only=True, default=None, allow_null=True
    )
    regulation_title = serializers.CharField(
        source="regulation.title", read_only=True, default=None, allow_null=True
    )
    source_code = serializers.CharField(source="source.code", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "reference",
            "programme_id",
            "programme_name",
            "isg_id",
            "isg_name",
            "isg_code",
            "finding_type",
            "finding_type_label",
            "text",
            "core_service_code",
            "core_service_name",
            "site",
            "cqc_domains",
            "regulation_number",
            "regulation_title",
            "source_code",
            "source_name",
            "inspection_id",
        ]

    def get_cqc_domains(self, finding) -> str:
        """The CQC domains as one text, separated by "; "."""
        return "; ".join(kq.name for kq in finding.key_questions.all())


class RootCauseSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    isg_name = serializers.CharField(source="isg.name", read_only=True)
    isg_code = serializers.CharField(source="isg.code", read_only=True)
    finding_reference = serializers.CharField(source="finding.reference", read_only=True)
    finding_type = serializers.CharField(source="finding.finding_type", read_only=True)
    owner_name = PersonName(source="owner")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    brag = serializers.SerializerMethodField()
    brag_label = serializers.SerializerMethodField()
    kpi_name = serializers.CharField(
        source="kpi.name", read_only=True, default=None, allow_null=True
    )
    kloe_code = serializers.CharField(
        source="assessment_item.code", read_only=True, default=None, allow_null=True
    )
    theme_name = serializers.CharField(
        source="theme.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = RootCause
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "programme_id",
            "programme_name",
            "isg_id",
            "isg_name",
            "isg_code",
            "finding_id",
            "finding_reference",
            "finding_type",
            "owner_id",
            "owner_name",
            "baseline_due_date",
            "current_due_date",
            "status",
            "status_label",
            "current_rag",
            "brag",
            "brag_label",
            "completed_on",
            "verified_on",
            "withdrawn_on",
            "kpi_id",
            "kpi_name",
            "assessment_item_id",
            "kloe_code",
            "theme_id",
            "theme_name",
            "delivered_by",
            "created_at",
        ]

    def get_brag(self, rc) -> str:
        """red, amber, green, blue, ontrack or grey: derived from the data, as on the pages."""
        return brag_of(rc, today()).code

    def get_brag_label(self, rc) -> str:
        return brag_of(rc, today()).label


class ActionSerializer(serializers.ModelSerializer):
    root_cause_reference = serializers.CharField(source="root_cause.reference", read_only=True)
    isg_id = serializers.IntegerField(source="root_cause.isg_id", read_only=True)
    owner_name = PersonName(source="owner")

    class Meta:
        model = Action
        fields = [
            "id",
            "root_cause_id",
            "root_cause_reference",
            "isg_id",
            "description",
            "owner_id",
            "owner_name",
            "due_date",
            "done_on",
            "order",
        ]


class UpdateSerializer(serializers.ModelSerializer):
    root_cause_reference = serializers.CharField(source="root_cause.reference", read_only=True)
    isg_id = serializers.IntegerField(source="root_cause.isg_id", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    period_starts_on = serializers.DateField(source="period.starts_on", read_only=True)
    period_ends_on = serializers.DateField(source="period.ends_on", read_only=True)
    rag_label = serializers.CharField(source="get_rag_display", read_only=True)
    author_name = PersonName(source="author")

    class Meta:
        model = Update
        fields = [
            "id",
            "root_cause_id",
            "root_cause_reference",
            "isg_id",
            "period_id",
            "period_label",
            "period_starts_on",
            "period_ends_on",
            "rag",
            "rag_label",
            "narrative",
            "recovery_note",
            "forecast_date",
            "author_id",
            "author_name",
            "posted_at",
            "updated_at",
        ]


class KPISerializer(serializers.ModelSerializer):
    isg_name = serializers.CharField(
        source="isg.name", read_only=True, default=None, allow_null=True
    )
    owner_name = PersonName(source="owner")
    target = Number(allow_null=True)
    key_question_code = serializers.CharField(
        source="key_question.code", read_only=True, default=None, allow_null=True
    )
    key_question_name = serializers.CharField(
        source="key_question.name", read_only=True, default=None, allow_null=True
    )
    root_cause_id = serializers.SerializerMethodField()

    class Meta:
        model = KPI
        fields = [
            "id",
            "programme_id",
            "level",
            "isg_id",
            "isg_name",
            "root_cause_id",
            "name",
            "definition",
            "unit",
            "unit_label",
            "improvement",
            "target",
            "frequency",
            "data_source",
            "owner_id",
            "owner_name",
            "key_question_code",
            "key_question_name",
        ]

    def get_root_cause_id(self, kpi) -> int | None:
        """The root cause whose KPI this is; null for a high-level KPI."""
        try:
            return kpi.root_cause.pk
        except RootCause.DoesNotExist:
            return None


class MeasurementSerializer(serializers.ModelSerializer):
    kpi_name = serializers.CharField(source="kpi.name", read_only=True)
    isg_id = serializers.IntegerField(source="kpi.isg_id", read_only=True, allow_null=True)
    value = Number()
    numerator = Number(allow_null=True)
    denominator = Number(allow_null=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kpi_id",
            "kpi_name",
            "isg_id",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "note",
            "entered_at",
        ]
