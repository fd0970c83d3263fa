import datetime as dt
from decimal import Decimal

import factory

from kpis.models import Measurement

from .plan import KPIFactory


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    kpi = factory.SubFactory(KPIFactory)
    period_end = factory.Sequence(lambda n: dt.date(2023, 1, 1) + dt.timedelta(days=14 * n))
    value = Decimal("80")


def add_series(kpi, values, *, start=dt.date(2023, 1, 8), step=14):
    """Give `kpi` one value per period, `step` days apart, oldest first."""
    return [
        MeasurementFactory(
            kpi=kpi, period_end=start + dt.timedelta(days=step * i), value=Decimal(str(v))
        )
        for i, v in enumerate(values)
    ]
