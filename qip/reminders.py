"""The daily reminders: owners whose update is missing, chairs' digests, evidence to review.

Run once a day by Celery beat (qip.tasks.send_daily_reminders) or by `manage.py tick`:

- **Two days before a period ends** (a Friday, for a sprint ending on Sunday), each owner
  with a root cause still missing its update for that period gets one email listing them,
  with a direct link to each update form. No other day.
- **The day after a period ends**, each ISG chair gets a digest of the root causes that
  ended the period without an update. Nothing is sent when none are missing.
- **Evidence past its review-by date**: its root cause's owner gets one email listing the
  files that newly passed their date (each file once per review date).

Every email sent is recorded (qip.ReminderSent) under a unique key, in the same transaction
as the send: running twice in a day sends nothing new, two workers at once cannot both
send, and an email whose sending failed is not recorded, so running the job again that
day sends it.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from core.clock import today
from core.emails import send_templated_email
from rootcauses.selectors import evidence_past_review, group_by_owner, missing_updates

from .models import ImprovementSteeringGroup, PeriodSignoff, ReminderSent, ReportingPeriod

log = logging.getLogger(__name__)

DAYS_BEFORE_END = 2


def _link(path: str) -> str:
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Reminder:
    """One email to send, and the rows that record it."""

    key: str
    kind: str
    recipient: Any
    template: str
    context: dict
    period: ReportingPeriod | None = None
    isg: ImprovementSteeringGroup | None = None
    items: int = 0
    extra_keys: tuple[str, ...] = ()


def _send(reminder: Reminder, day: dt.date) -> bool:
    """Record and send one reminder; False if it was already sent (or has no address)."""
    if not reminder.recipient.email:
        log.warning("No email address for %s: %s not sent", reminder.recipient, reminder.key)
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                for key in (reminder.key, *reminder.extra_keys):
                    ReminderSent.objects.create(
                        key=key,
                        kind=reminder.kind,
                        recipient=reminder.recipient,
                        period=reminder.period,
                        isg=reminder.isg,
                        sent_on=day,
                        items=reminder.items,
                    )
        except IntegrityError:
            return False  # sent already, by an earlier run or a concurrent one
        # Sent inside the transaction on purpose: if the mail server refuses it, the
        # record is rolled back and nothing claims it was sent.
        send_templated_email(
            name=reminder.template, to=[reminder.recipient.email], context=reminder.context
        )
    return True


def _already_sent(keys: set[str]) -> set[str]:
    return set(ReminderSent.objects.filter(key__in=keys).values_list("key", flat=True))


def _root_cause_rows(root_causes, *, link_to: str) -> list[dict]:
    return [
        {
            "reference": rc.reference,
            "title": rc.title,
            "owner": rc.owner.get_full_name() or rc.owner.get_username(),
            "url": _link(reverse(link_to, args=[rc.pk])),
        }
        for rc in root_causes
    ]


def _evidence_rows(files) -> list[dict]:
    return [
        {
            "name": f.original_name,
            "description": f.description,
            "review_by": f.review_by,
            "reference": f.root_cause.reference,
            "url": _link(reverse("rootcause-detail", args=[f.root_cause_id]) + "#evidence"),
        }
        for f in files
    ]


def _signed_off(periods: list[ReportingPeriod]) -> set[tuple[int, int]]:
    return set(PeriodSignoff.objects.filter(period__in=periods).values_list("isg_id", "period_id"))


def update_due_reminders(day: dt.date) -> list[Reminder]:
    """Owners whose update for a period ending in two days is still missing."""
    periods = list(
        ReportingPeriod.objects.filter(
            ends_on=day + dt.timedelta(days=DAYS_BEFORE_END), locked_at__isnull=True
        ).select_related("programme")
    )
    signed_off = _signed_off(periods)
    overdue_evidence = defaultdict(list)
    for evidence in evidence_past_review(day):
        overdue_evidence[evidence.root_cause.owner_id].append(evidence)
    reminders = []
    for period in periods:
        missing = [
            rc for rc in missing_updates(period=period) if (rc.isg_id, period.pk) not in signed_off
        ]
        for owner, root_causes in group_by_owner(missing).items():
            reminders.append(
                Reminder(
                    key=f"update_due:{period.pk}:{owner.pk}",
                    kind=ReminderSent.Kind.UPDATE_DUE,
                    recipient=owner,
                    template="owner_update_due",
                    period=period,
                    items=len(root_causes),
                    context={
                        "owner": owner,
                        "period": period,
                        "root_causes": _root_cause_rows(root_causes, link_to="rootcause-update"),
                        "evidence": _evidence_rows(overdue_evidence.get(owner.pk, [])),
                        "my_root_causes_url": _link(reverse("my-root-causes")),
                    },
                )
            )
    return reminders


def _isg_url(isg: ImprovementSteeringGroup) -> str:
    try:
        return _link(isg.get_absolute_url())
    except NoReverseMatch:  # the ISG pages are another part of the product
        return ""


def missing_updates_digests(day: dt.date) -> list[Reminder]:
    """Each ISG chair: the root causes that ended yesterday's period without an update."""
    periods = list(
        ReportingPeriod.objects.filter(ends_on=day - dt.timedelta(days=1)).select_related(
            "programme"
        )
    )
    reminders = []
    for period in periods:
        isgs = ImprovementSteeringGroup.objects.filter(
            programme_id=period.programme_id, cadence=period.cadence, chair__isnull=False
        ).select_related("chair")
        by_isg = defaultdict(list)
        for rc in missing_updates(period=period):
            by_isg[rc.isg_id].append(rc)
        for isg in isgs:
            root_causes = by_isg.get(isg.pk)
            if not root_causes:
                continue
            reminders.append(
                Reminder(
                    key=f"missing_updates:{period.pk}:{isg.pk}",
                    kind=ReminderSent.Kind.MISSING_UPDATES,
                    recipient=isg.chair,
                    template="chair_missing_updates",
                    period=period,
                    isg=isg,
                    items=len(root_causes),
                    context={
                        "chair": isg.chair,
                        "isg": isg,
                        "period": period,
                        "root_causes": _root_cause_rows(root_causes, link_to="rootcause-detail"),
                        "isg_url": _isg_url(isg),
                    },
                )
            )
    return reminders


def evidence_review_reminders(day: dt.date) -> list[Reminder]:
    """Owners of evidence that has passed its review-by date (each file once per date)."""
    files = list(evidence_past_review(day))
    keys = {f"evidence_review:{f.pk}:{f.review_by.isoformat()}": f for f in files}
    sent = _already_sent(set(keys))
    by_owner = defaultdict(list)
    for key, evidence in keys.items():
        if key not in sent:
            by_owner[evidence.root_cause.owner].append((key, evidence))
    reminders = []
    for owner, pairs in by_owner.items():
        owner_keys = [key for key, _ in pairs]
        reminders.append(
            Reminder(
                key=owner_keys[0],
                extra_keys=tuple(owner_keys[1:]),
                kind=ReminderSent.Kind.EVIDENCE_REVIEW,
                recipient=owner,
                template="evidence_review_due",
                items=len(pairs),
                context={
                    "owner": owner,
                    "files": _evidence_rows([evidence for _, evidence in pairs]),
                    "my_root_causes_url": _link(
                        reverse("my-root-causes") + "?state=evidence_review"
                    ),
                },
            )
        )
    return reminders


def run_daily(*, day: dt.date | None = None) -> dict[str, int]:
    """Send the day's reminders; return how many emails of each kind went out."""
    day = day or today()
    sent: Counter = Counter()
    for build in (update_due_reminders, missing_updates_digests, evidence_review_reminders):
        for reminder in build(day):
            if _send(reminder, day):
                sent[reminder.kind] += 1
    result = {kind: sent.get(kind, 0) for kind in ReminderSent.Kind.values}
    log.info("Daily reminders for %s: %s", day.isoformat(), result)
    return result
