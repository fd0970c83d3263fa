import datetime as dt

import factory

from governance.models import ChangeRequest, EcibMeeting, Escalation, EscalationRule, Trigger

from .plan import ProgrammeFactory, RootCauseFactory, UserFactory


class EscalationRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationRule
        django_get_or_create = ["programme", "kind"]

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Trigger.OFF_TRACK
    threshold = 2
    active = True


class EcibMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EcibMeeting
        django_get_or_create = ["programme", "meets_on"]

    programme = factory.SubFactory(ProgrammeFactory)
    meets_on = dt.date(2024, 2, 22)  # a Thursday in the fixtures' Sprint 4


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    root_cause = factory.SubFactory(RootCauseFactory)
    programme = factory.SelfAttribute("root_cause.programme")
    trigger = Trigger.MANUAL
    rule = None
    period = factory.LazyAttribute(
        lambda o: (
            o.root_cause.programme.periods.filter(
                cadence=o.root_cause.isg.cadence, starts_on__lte=dt.date(2024, 2, 20)
            )
            .order_by("-starts_on")
            .first()
        )
    )
    reason = "Off track and the ISG needs a decision."
    meeting = factory.SubFactory(EcibMeetingFactory, programme=factory.SelfAttribute("..programme"))
    raised_by = factory.SubFactory(UserFactory)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    root_cause = factory.SubFactory(RootCauseFactory)
    programme = factory.SelfAttribute("root_cause.programme")
    kind = ChangeRequest.Kind.NEW_DUE_DATE
    proposed_due_date = dt.date(2024, 4, 30)
    rationale = "Staff shortages after the winter."
    proposed_by = factory.SelfAttribute("root_cause.owner")
