"""Plan set-up writes that belong to the programme: ISGs, cross-cutting themes, owners, and a
programme for a first import from the command line."""

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from cqc.models import Framework

from ..models import CrossCuttingTheme, ImprovementSteeringGroup, Programme
from ..services import calendar_build
from .columns import normalise

SMALL_WORDS = {"and", "of", "the", "for", "in", "a"}


def isg_code_for(name: str, taken: set[str]) -> str:
    """A short unique code from the ISG's initials: Women's and Children's → WC."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name.replace("'", "")) if w]
    initials = "".join(w[0] for w in words if w.lower() not in SMALL_WORDS).upper()
    if len(initials) < 2:
        initials = (words[0][:2] if words else "G").upper()
    base = initials[:8]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


def _save(instance, by: Any, reason: str) -> None:
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save()


@transaction.atomic
def isg_create(
    *, by: Any, programme: Programme, name: str, code: str | None = None, reason: str = ""
) -> ImprovementSteeringGroup:
    """Add an ISG; the Well-led ISG reports monthly and by KLOE, as in the seed programme."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": "Enter the ISG's name (at most 120 characters)."})
    existing = list(programme.isgs.values_list("name", "code"))
    if any(normalise(n) == normalise(name) for n, _ in existing):
        raise ValidationError({"name": f"The programme already has an ISG called {name}."})
    code = code or isg_code_for(name, {c for _, c in existing})
    well_led = normalise(name) in ("wellled", "wellledisg")
    isg = ImprovementSteeringGroup(
        programme=programme,
        name=name,
        code=code,
        cadence=ImprovementSteeringGroup.Cadence.MONTHLY
        if well_led
        else ImprovementSteeringGroup.Cadence.FORTNIGHTLY,
        structured_by_kloe=well_led,
        order=len(existing) + 1,
    )
    _save(isg, by, reason)
    return isg


@transaction.atomic
def theme_create(
    *,
    by: Any,
    programme: Programme,
    name: str,
    reporting_isg: ImprovementSteeringGroup,
    reason: str = "",
) -> CrossCuttingTheme:
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "Enter the theme's name (at most 200 characters)."})
    if reporting_isg.programme_id != programme.pk:
        raise ValidationError({"reporting_isg": "Choose an ISG of this programme."})
    theme = CrossCuttingTheme(programme=programme, name=name, reporting_isg=reporting_isg)
    _save(theme, by, reason)
    return theme


def owner_get_or_create(*, email: str) -> tuple[Any, bool]:
    """The person with this email (any case), or a new account without a usable password:
    they cannot sign in until they are invited."""
    User = get_user_model()
    email = email.strip().lower()
    user = (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).order_by("pk").first()
    )
    if user is not None:
        return user, False
    user = User(username=email, email=email)
    user.set_unusable_password()
    user.save()
    return user, True


def monday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def programme_create_for_import(
    *, name: str, earliest: dt.date, until: dt.date, framework_code: str = "KLOE_HC_2017"
) -> Programme:
    """A programme for a first import into an empty database: sprints from the Monday on or
    before the earliest baseline due date, calendar to a year past the last date."""
    name = name.strip()[:200] or "Quality Improvement Plan"
    if Programme.objects.filter(name=name).exists():
        raise ValidationError({"name": f"There is already a programme called {name}."})
    programme = Programme.objects.create(
        name=name,
        framework=Framework.objects.get(code=framework_code),
        sprint_anchor=monday_on_or_before(earliest),
    )
    calendar_build(programme=programme, until=max(until, earliest) + dt.timedelta(days=366))
    return programme
