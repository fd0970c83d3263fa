"""Board papers and the trust's strategic objectives (issue 9)."""

import datetime as dt

import factory

from qip.models import BoardPaper, StrategicObjective


class StrategicObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicObjective

    programme = factory.SubFactory("tests.factories.plan.ProgrammeFactory")
    title = factory.Sequence(lambda n: f"OBJECTIVE {n}")
    description = "What the trust wants to achieve"
    order = factory.Sequence(lambda n: n)


class BoardPaperFactory(factory.django.DjangoModelFactory):
    """A draft paper for a month of the programme (pass `period`)."""

    class Meta:
        model = BoardPaper

    programme = factory.SelfAttribute("period.programme")
    meeting = "Trust Board"
    meeting_date = factory.LazyAttribute(lambda o: o.period.ends_on + dt.timedelta(days=30))
    written_on = factory.LazyAttribute(lambda o: o.period.ends_on + dt.timedelta(days=20))
    responsible_director = "Simon Wright, Chief Executive"
    author = "Rajinder Biran, Head of Improving Care PMO"
    executive_summary = "The QIP is on its way."
    previously_considered_by = "Executive Continuous Improvement Board"
    created_by = factory.SubFactory("tests.factories.plan.UserFactory")
