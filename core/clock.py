"""The programme calendar's idea of today.

Production uses the real date in the trust's time zone. QIP_TODAY pins it, so that the
demo, which replays a 2019 programme, shows the seed paper's figures (docs/decisions).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    pinned = getattr(settings, "QIP_TODAY", "")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()
