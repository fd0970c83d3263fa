"""Background work about root causes; sent through the outbox (core.outbox)."""

from celery import shared_task
from django.conf import settings

from core.emails import send_templated_email
from core.outbox import run_once

from .models import Update

OFF_TRACK_TASK = "rootcauses.tasks.notify_off_track"


@shared_task(bind=True, ignore_result=True)
def notify_off_track(self, update_id: int) -> int:
    """Tell the ISG chair and the accountable executive that a root cause went off track.

    Runs once per outbox message (the task id), however often the queue delivers it; the
    number of emails sent (0 or 1).
    """
    with run_once(self.request.id) as first:
        if not first:
            return 0
        update = (
            Update.objects.select_related(
                "root_cause__isg__chair",
                "root_cause__isg__accountable_executive",
                "root_cause__owner",
                "period",
                "author",
            )
            .filter(pk=update_id)
            .first()
        )
        if update is None or update.rag != "off_track":
            return 0  # deleted, or put back on track before the task ran
        root_cause = update.root_cause
        isg = root_cause.isg
        people = [p for p in (isg.chair, isg.accountable_executive) if p is not None]
        recipients = list(dict.fromkeys(p.email for p in people if p.email))
        return send_templated_email(
            name="update_off_track",
            to=recipients,
            context={
                "update": update,
                "root_cause": root_cause,
                "isg": isg,
                "url": settings.SITE_URL + root_cause.get_absolute_url(),
            },
        )
