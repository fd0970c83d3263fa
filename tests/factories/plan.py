import datetime as dt

import factory
from django.contrib.auth import get_user_model

from cqc.models import FindingSource, Framework, KeyQuestion
from findings.models import Finding, FindingType
from kpis.models import KPI
from qip.models import CrossCuttingTheme, ImprovementSteeringGroup, Programme, ProgrammeRole
from rootcauses.models import Action, RootCause


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example-trust.nhs.uk")
    password = factory.django.Password("correct-horse-battery-staple")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Quality Improvement Plan {2024 + n}")
    trust_name = "Example NHS Trust"
    framework = factory.LazyFunction(lambda: Framework.objects.get(code="KLOE_HC_2017"))
    sprint_anchor = dt.date(2024, 1, 1)


class ProgrammeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRole

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = ProgrammeRole.Role.PMO


class IsgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementSteeringGroup

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Steering group {n}")
    code = factory.Sequence(lambda n: f"G{n}")
    cadence = ImprovementSteeringGroup.Cadence.FORTNIGHTLY
    chair = factory.SubFactory(UserFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossCuttingTheme

    programme = factory.SelfAttribute("reporting_isg.programme")
    reporting_isg = factory.SubFactory(IsgFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding
        skip_postgeneration_save = True

    isg = factory.SubFactory(IsgFactory)
    programme = factory.SelfAttribute("isg.programme")
    reference = factory.Sequence(lambda n: f"F-{n:03d}")
    finding_type = FindingType.MUST_DO
    text = "The trust must ensure that staff complete mandatory training."
    source = factory.LazyFunction(lambda: FindingSource.objects.get(code="INSPECTION_REPORT"))

    @factory.post_generation
    def key_questions(self, create, extracted, **kwargs):
        if create:
            self.key_questions.set(extracted or [KeyQuestion.objects.get(code="SAFE")])


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"% compliance {n}")
    unit = KPI.Unit.PERCENTAGE
    improvement = KPI.Improvement.INCREASE


class RootCauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RootCause

    finding = factory.SubFactory(FindingFactory)
    programme = factory.SelfAttribute("finding.programme")
    isg = factory.SelfAttribute("finding.isg")
    reference = factory.LazyAttributeSequence(lambda o, n: f"{o.finding.reference} RC{n}")
    title = "Training places not available"
    owner = factory.SubFactory(UserFactory)
    baseline_due_date = dt.date(2024, 3, 15)
    current_due_date = factory.SelfAttribute("baseline_due_date")
    kpi = factory.SubFactory(
        KPIFactory,
        programme=factory.SelfAttribute("..programme"),
        isg=factory.SelfAttribute("..isg"),
    )


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    root_cause = factory.SubFactory(RootCauseFactory)
    description = "Book extra training sessions"
    owner = factory.SelfAttribute("root_cause.owner")
    due_date = dt.date(2024, 3, 1)
