"""The daily reminders: who gets mail, on which day, and never twice for the same thing.

The programme (tests/conftest.py) runs fortnightly sprints from Monday 1 January 2024;
Sprint 4 runs from Monday 12 to Sunday 25 February. Owners are reminded on Friday 23
February, two days before it ends; chairs get the digest on Monday 26 February.
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from qip import reminders
from qip.celery import app
from qip.models import ImprovementSteeringGroup, ReminderSent
from qip.services import period_sign_off
from qip.tasks import send_daily_reminders
from rootcauses import services
from tests.factories import EvidenceFileFactory, FindingFactory, IsgFactory, RootCauseFactory

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2024, 2, 23)  # two days before Sprint 4 ends
MONDAY = dt.date(2024, 2, 26)  # the day after it ended


@pytest.fixture
def plan(root_cause, other_root_cause, owner, other_owner, current_sprint, finding):
    """The owner has not posted; the other owner has. A third root cause is complete."""
    services.update_post(
        by=other_owner,
        root_cause=other_root_cause,
        period=current_sprint,
        rag="on_track",
        narrative="Done for this sprint.",
    )
    complete = RootCauseFactory(finding=finding, owner=owner, reference="WC-MD-07 RC9")
    request = services.closure_request(by=owner, root_cause=complete, note="Done.")
    services.closure_confirm(by=finding.isg.chair, closure=request, on=dt.date(2024, 2, 14))
    return {"missing": root_cause, "posted": other_root_cause, "complete": complete}


def run(day: dt.date) -> dict:
    return reminders.run_daily(day=day)


def test_an_owner_with_a_missing_update_is_reminded_two_days_before_the_end(
    plan, owner, other_owner, chair, mailoutbox, settings
):
    settings.SITE_URL = "https://qip.example-trust.nhs.uk"
    assert run(FRIDAY)["update_due"] == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [owner.email]
    assert mail.subject == "Your Sprint 4 update is due by Sunday 25 February"
    rc = plan["missing"]
    assert f"{rc.reference}: {rc.title}" in mail.body
    assert f"https://qip.example-trust.nhs.uk/rootcauses/{rc.pk}/update/" in mail.body
    assert "https://qip.example-trust.nhs.uk/my/root-causes/" in mail.body
    assert plan["complete"].reference not in mail.body  # complete: nothing to post
    html = mail.alternatives[0][0]
    assert f'href="https://qip.example-trust.nhs.uk/rootcauses/{rc.pk}/update/"' in html


@pytest.mark.parametrize(
    "day", [dt.date(2024, 2, 21), dt.date(2024, 2, 22), dt.date(2024, 2, 24), dt.date(2024, 2, 25)]
)
def test_no_owner_reminder_on_other_days(plan, mailoutbox, day):
    assert run(day)["update_due"] == 0
    assert mailoutbox == []


def test_running_twice_in_a_day_sends_nothing_twice(plan, mailoutbox):
    run(FRIDAY)
    run(FRIDAY)
    call_command("tick", date=FRIDAY.isoformat(), stdout=io.StringIO())
    assert len(mailoutbox) == 1
    assert ReminderSent.objects.get().key.startswith("update_due:")


def test_an_owner_with_several_missing_gets_one_email_listing_them(
    plan, owner, finding, mailoutbox
):
    second = RootCauseFactory(finding=finding, owner=owner, reference="WC-MD-07 RC8")
    run(FRIDAY)
    assert len(mailoutbox) == 1
    assert plan["missing"].reference in mailoutbox[0].body
    assert second.reference in mailoutbox[0].body
    assert "these 2 root causes" in mailoutbox[0].body


def test_the_chair_gets_a_digest_the_day_after_the_sprint_ends(plan, chair, owner, mailoutbox):
    result = run(MONDAY)
    assert result == {"update_due": 0, "missing_updates": 1, "evidence_review": 0}
    (mail,) = mailoutbox
    assert mail.to == [chair.email]
    assert mail.subject == "Women's and Children's: 1 update missing for Sprint 4"
    assert plan["missing"].reference in mail.body
    assert "owner: Amara Okafor" in mail.body
    assert plan["posted"].reference not in mail.body
    assert plan["complete"].reference not in mail.body
    run(MONDAY)
    assert len(mailoutbox) == 1


def test_no_digest_on_other_days_or_when_nothing_is_missing(
    plan, owner, current_sprint, mailoutbox
):
    assert run(dt.date(2024, 2, 27))["missing_updates"] == 0
    services.update_post(
        by=owner, root_cause=plan["missing"], period=current_sprint, rag="on_track", narrative="In."
    )
    assert run(MONDAY)["missing_updates"] == 0
    assert mailoutbox == []


def test_an_owner_who_posted_after_the_reminder_is_not_in_the_digest(
    plan, owner, current_sprint, mailoutbox
):
    run(FRIDAY)
    services.update_post(
        by=owner, root_cause=plan["missing"], period=current_sprint, rag="on_track", narrative="In."
    )
    run(MONDAY)
    assert [m.to for m in mailoutbox] == [[owner.email]]


def test_no_reminder_for_a_period_the_chair_has_signed_off(plan, chair, current_sprint, mailoutbox):
    period_sign_off(by=chair, isg=plan["missing"].isg, period=current_sprint)
    assert run(FRIDAY)["update_due"] == 0


def test_a_monthly_isg_is_reminded_before_its_month_ends(programme, other_owner, mailoutbox):
    well_led = IsgFactory(
        programme=programme,
        name="Well-led",
        code="WL",
        cadence=ImprovementSteeringGroup.Cadence.MONTHLY,
    )
    finding = FindingFactory(isg=well_led, programme=programme, reference="WL-MD-01")
    rc = RootCauseFactory(finding=finding, owner=other_owner, reference="WL-MD-01 RC1")
    # February 2024 ends on Thursday 29th: the reminder goes on Tuesday 27th.
    assert run(dt.date(2024, 2, 27))["update_due"] == 1
    assert mailoutbox[0].subject == "Your February 2024 update is due by Thursday 29 February"
    assert rc.reference in mailoutbox[0].body
    assert run(dt.date(2024, 3, 1))["missing_updates"] == 1
    assert mailoutbox[1].to == [well_led.chair.email]


def test_evidence_past_its_review_date_is_flagged_to_its_owner_once(root_cause, owner, mailoutbox):
    evidence = EvidenceFileFactory(
        root_cause=root_cause, original_name="Jan audit.pdf", review_by=dt.date(2024, 2, 19)
    )
    assert run(dt.date(2024, 2, 19))["evidence_review"] == 0  # due today, not past
    assert run(dt.date(2024, 2, 20))["evidence_review"] == 1
    (mail,) = mailoutbox
    assert mail.to == [owner.email]
    assert mail.subject == "Evidence to review: 1 file past its review date"
    assert "Jan audit.pdf" in mail.body
    assert f"/rootcauses/{root_cause.pk}/#evidence" in mail.body
    assert run(dt.date(2024, 2, 21))["evidence_review"] == 0
    # Reviewed, with a new date: flagged again when that one passes.
    services.evidence_reviewed(by=owner, evidence=evidence, next_review_by=dt.date(2024, 3, 1))
    assert run(dt.date(2024, 3, 2))["evidence_review"] == 1


def test_the_owner_reminder_lists_evidence_past_review(plan, owner, mailoutbox):
    EvidenceFileFactory(
        root_cause=plan["missing"], original_name="Old audit.pdf", review_by=dt.date(2024, 1, 31)
    )
    run(FRIDAY)
    update_due = next(m for m in mailoutbox if m.subject.startswith("Your Sprint 4"))
    assert "Evidence past its review-by date" in update_due.body
    assert "Old audit.pdf" in update_due.body


def test_a_failed_send_is_not_recorded_so_the_next_run_sends_it(plan, mailoutbox, monkeypatch):
    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "send_templated_email", refuse)
    with pytest.raises(ConnectionRefusedError):
        run(FRIDAY)
    assert not ReminderSent.objects.exists()
    monkeypatch.undo()
    assert run(FRIDAY)["update_due"] == 1
    assert len(mailoutbox) == 1


def test_someone_without_an_email_address_is_skipped(plan, owner, mailoutbox):
    owner.email = ""
    owner.save()
    assert run(FRIDAY)["update_due"] == 0
    assert not ReminderSent.objects.exists()


def test_tick_runs_the_daily_work_for_a_given_date(plan, mailoutbox):
    out = io.StringIO()
    call_command("tick", date="2024-02-23", stdout=out)
    assert "1 update-due reminders to owners" in out.getvalue()
    assert len(mailoutbox) == 1


def test_tick_uses_the_programme_s_today(plan, mailoutbox, settings):
    settings.QIP_TODAY = "2024-02-26"
    call_command("tick", stdout=io.StringIO())
    assert [m.subject for m in mailoutbox] == [
        "Women's and Children's: 1 update missing for Sprint 4"
    ]


def test_tick_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="is not a date"):
        call_command("tick", date="23/02/2024", stdout=io.StringIO())


def test_the_celery_task_runs_the_same_work(plan, mailoutbox):
    assert send_daily_reminders.delay("2024-02-23").get()["update_due"] == 1
    assert len(mailoutbox) == 1


def test_beat_runs_the_reminders_every_morning():
    entry = app.conf.beat_schedule["send-daily-reminders"]
    assert entry["task"] == "qip.tasks.send_daily_reminders"
    assert entry["schedule"].hour == {7}
    assert entry["schedule"].minute == {0}
