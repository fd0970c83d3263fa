"""CQC reference data: versioned lookup tables keyed by the stable codes in cqc/data/cqc.json.

Rows are loaded by cqc.loader (run by a data migration and by `manage.py load_cqc_reference`)
and are retired, never deleted or renumbered, so old plans keep their meaning.
"""

from django.db import models


class Framework(models.Model):
    """An assessment framework a programme reports against: the 2017 KLOEs or 2023 quality statements."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    status = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class KeyQuestion(models.Model):
    """One of CQC's five key questions (the seed's "CQC domains"): Safe … Well-led."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """A CQC rating; order 1 is the best (Outstanding)."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class AssessmentItem(models.Model):
    """A key line of enquiry (W3) or quality statement (QS-W3) within one framework."""

    class Kind(models.TextChoices):
        KLOE = "kloe", "Key line of enquiry"
        QUALITY_STATEMENT = "quality_statement", "Quality statement"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="items")
    key_question = models.ForeignKey(KeyQuestion, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    question = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    confirmed = models.BooleanField(
        default=True, help_text="False where the wording still needs checking against CQC's text."
    )
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["framework", "key_question__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="assessment_item_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.question or self.title}"


class Regulation(models.Model):
    """A regulation a Must Do can cite, stored as instrument plus number (numbers repeat)."""

    code = models.CharField(max_length=40, unique=True)
    instrument = models.CharField(max_length=40)
    number = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    fundamental_standard = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument", "id"]

    def __str__(self) -> str:
        return f"Regulation {self.number}: {self.title}"


class CoreService(models.Model):
    """A CQC core service of an acute trust (urgent and emergency care, maternity …)."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    scope = models.TextField(blank=True)
    legacy = models.BooleanField(default=False)
    replaced_by = models.ManyToManyField("self", symmetrical=False, blank=True)

    class Meta:
        ordering = ["legacy", "order", "code"]

    def __str__(self) -> str:
        return self.name


class FindingSource(models.Model):
    """Where a finding came from: the inspection report, a Section 29A or 31 notice …"""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class EnforcementType(models.Model):
    """A kind of CQC enforcement action, with whether it can be used on an NHS trust."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=200, blank=True)
    definition = models.TextField(blank=True)
    applies_to_nhs_trusts = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
