"""The task outbox (core.outbox) and the fault it exists for: the broker or the worker down.

An owner's update must save whatever state Redis and the Celery worker are in, and the task
it triggers (newly off track: email the ISG chair and the accountable executive) must run
once the broker is back: exactly once, never silently dropped.
"""

import io
import logging
import os
import socket
import threading
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core import outbox
from core.models import OutboxMessage
from qip.celery import app
from rootcauses import services
from rootcauses.models import Update
from rootcauses.tasks import OFF_TRACK_TASK
from tests.factories import UserFactory

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.fixture
def broker_at():
    """broker_at(url): tasks go to a real broker at `url` (not in-process) until the test ends."""
    previous = (app.conf.broker_url, app.conf.task_always_eager)

    def point(url: str) -> None:
        app.conf.broker_url = url
        app.conf.task_always_eager = False

    yield point
    app.conf.broker_url, app.conf.task_always_eager = previous


@pytest.fixture
def accountable_executive(isg):
    isg.accountable_executive = UserFactory(username="cno", first_name="Ruth", last_name="Ellis")
    isg.save()
    return isg.accountable_executive


def _off_track(
    period, version: int = 0, narrative: str = "Audit slipped: two wards missed."
) -> dict:
    return {
        "version": str(version),
        "period": str(period.pk),
        "rag": "off_track",
        "narrative": narrative,
        "recovery_note": "Matron to re-audit both wards by the end of March.",
        "forecast_date": "2024-04-30",
        "kpi_value": "",
        "evidence_description": "",
        "evidence_effective_from": "2024-02-20",
        "evidence_review_by": "",
    }


def _post_update(owner, root_cause, period, **kwargs):
    client = Client()
    client.force_login(owner)
    return client, client.post(
        reverse("rootcause-update", args=[root_cause.pk]), _off_track(period, **kwargs)
    )


# --- The task itself, in-process (the laptop default) -----------------------------------


def test_newly_off_track_emails_the_chair_and_the_accountable_executive(
    owner, root_cause, current_sprint, chair, accountable_executive, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _client, response = _post_update(owner, root_cause, current_sprint)
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert (message.task, message.status) == (OFF_TRACK_TASK, "sent")
    assert message.done_at is not None
    [email] = mailoutbox
    assert sorted(email.to) == [chair.email, accountable_executive.email]
    assert email.subject == "Off track: WC-MD-07 RC2 (Women's and Children's)"
    assert f"{settings.SITE_URL}/rootcauses/{root_cause.pk}/" in email.body
    assert "Matron to re-audit both wards" in email.body
    assert "30 April 2024" in email.body


def test_only_a_change_to_off_track_notifies(
    owner, root_cause, current_sprint, chair, mailoutbox, django_capture_on_commit_callbacks
):
    def post(rag, version, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return services.update_post(
                by=owner,
                root_cause=root_cause,
                period=current_sprint,
                rag=rag,
                narrative="Progress report.",
                expected_version=version,
                **extra,
            )

    recovery = {"recovery_note": "Re-audit.", "forecast_date": current_sprint.ends_on}
    update = post("on_track", 0)
    assert OutboxMessage.objects.count() == 0
    update = post("off_track", update.version, **recovery)
    assert OutboxMessage.objects.count() == 1
    update = post("off_track", update.version, **recovery)  # still off track: no second email
    assert OutboxMessage.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_replay_of_past_updates_does_not_notify(owner, root_cause, current_sprint):
    services.update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="off_track",
        narrative="Replayed.",
        recovery_note="Re-audit.",
        forecast_date=current_sprint.ends_on,
        notify=False,
    )
    assert not OutboxMessage.objects.exists()


def test_a_rolled_back_update_leaves_no_message(owner, root_cause, current_sprint):
    with pytest.raises(RuntimeError), services.transaction.atomic():
        services.update_post(
            by=owner,
            root_cause=root_cause,
            period=current_sprint,
            rag="off_track",
            narrative="Rolled back.",
            recovery_note="Re-audit.",
            forecast_date=current_sprint.ends_on,
        )
        raise RuntimeError("the request failed after the service")
    assert not Update.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_task_runs_once_per_message(owner, root_cause, current_sprint, chair, mailoutbox):
    from rootcauses.tasks import notify_off_track

    update = services.update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="off_track",
        narrative="Slipped.",
        recovery_note="Re-audit.",
        forecast_date=current_sprint.ends_on,
    )
    message = OutboxMessage.objects.get()  # its on_commit hook never ran (no commit here)
    assert message.status == "pending"
    for _ in range(3):  # three deliveries of the same message
        notify_off_track.apply(kwargs={"update_id": update.pk}, task_id=str(message.pk))
    assert len(mailoutbox) == 1
    message.refresh_from_db()
    assert message.done_at is not None


def test_a_task_whose_email_fails_is_not_marked_done(
    owner, root_cause, current_sprint, chair, monkeypatch
):
    from rootcauses import tasks

    update = services.update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="off_track",
        narrative="Slipped.",
        recovery_note="Re-audit.",
        forecast_date=current_sprint.ends_on,
    )
    message = OutboxMessage.objects.get()

    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(tasks, "send_templated_email", refuse)
    with pytest.raises(ConnectionRefusedError):
        tasks.notify_off_track.apply(kwargs={"update_id": update.pk}, task_id=str(message.pk))
    message.refresh_from_db()
    assert message.done_at is None  # a redelivery will try again


def test_beat_drains_the_outbox_every_minute():
    entry = app.conf.beat_schedule["drain-outbox"]
    assert entry["task"] == "core.tasks.drain_outbox"
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0


# --- The fault: the broker is down -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_update_saves_and_its_task_waits(
    owner, root_cause, current_sprint, chair, broker_at, mailoutbox, caplog
):
    broker_at(CLOSED_PORT)
    with caplog.at_level(logging.WARNING, logger="core.outbox"):
        client, response = _post_update(owner, root_cause, current_sprint)
    assert response.status_code == 302  # the on_commit hook ran inside this request
    page = client.get(response["Location"]).content.decode()
    assert "Your update for Sprint 4 is posted." in page
    update = Update.objects.get(root_cause=root_cause, period=current_sprint)
    assert update.rag == "off_track"
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.sent_at) == ("pending", 1, None)
    assert "Connection refused" in message.last_error or "111" in message.last_error
    assert "left pending for the drain" in caplog.text
    assert mailoutbox == []
    # The drain while the broker is still down: nothing sent, nothing lost, no error raised.
    assert outbox.drain() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 2)


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_accepts_but_never_answers_cannot_hang_the_request(
    owner, root_cause, current_sprint, broker_at
):
    """A half-dead broker (the port is open, nothing replies): the page answers within the
    publish timeouts, because a web request publishes once, with bounded timeouts."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(silent.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
    try:
        started = time.monotonic()
        _client, response = _post_update(owner, root_cause, current_sprint)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
        for connection in accepted:
            connection.close()
    assert response.status_code == 302
    limit = outbox.CONNECT_TIMEOUT_SECONDS + outbox.SOCKET_TIMEOUT_SECONDS
    assert elapsed < limit + 5, f"the request waited {elapsed:.1f}s for the broker"
    assert len(accepted) == 1  # one attempt, no retries inside the request
    assert OutboxMessage.objects.get().status == "pending"


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_back_the_drain_sends_it_and_a_worker_runs_it_once(
    owner, root_cause, current_sprint, chair, accountable_executive, broker_at, mailoutbox
):
    from celery.contrib.testing.worker import start_worker

    broker_at(CLOSED_PORT)
    _client, response = _post_update(owner, root_cause, current_sprint)
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.status == "pending"

    broker_at(os.environ["REDIS_URL"])  # the broker is back
    app.control.purge()  # messages left by an earlier, interrupted run
    out = io.StringIO()
    call_command("drain_outbox", stdout=out)
    assert out.getvalue().strip() == "1 waiting tasks sent; 0 still waiting."
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None
    # A duplicate delivery of the same message (say the commit hook and a drain raced).
    app.send_task(message.task, kwargs=message.kwargs, task_id=str(message.pk))

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (_queued() or not _done(message)):
            time.sleep(0.2)
    # Leaving start_worker waited for the task in hand (the duplicate) to finish.
    message.refresh_from_db()
    assert message.done_at is not None
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == [chair.email, accountable_executive.email]
    # A second drain finds nothing to send.
    assert outbox.drain() == 0


def _queued() -> int:
    """Messages waiting in Celery's default queue on the broker."""
    with app.connection_for_read() as connection:
        return connection.default_channel.client.llen(app.conf.task_default_queue)


def _done(message: OutboxMessage) -> bool:
    message.refresh_from_db()
    return message.done_at is not None
