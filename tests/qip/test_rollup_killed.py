"""A roll-up killed part-way leaves no partial snapshot, and the re-run completes.

For real: `manage.py rollup` runs in a separate process against the test database, writes
part of the period's snapshots (the fault-injection hook in qip/reporting/rollup.py pauses
it there, inside its transaction) and is killed with SIGKILL, as the kernel's OOM killer or
a lost machine would. PostgreSQL rolls the open transaction back when the connection dies.

A Celery worker killed the same way behaves alike: tasks are acknowledged late
(CELERY_TASK_ACKS_LATE), so the message of the interrupted `rollup_periods` is still
unacknowledged; the broker hands it out again (on Redis, once the visibility timeout has
passed) and the nightly `rollup_ended_periods` also picks the period up, since it still has
no snapshot. Either re-run is the normal, idempotent roll-up checked here.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from qip.models import Snapshot
from qip.reporting import rollup

FIGURES = [f for f in rollup.FIGURE_FIELDS if f != "computed_at"]
ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _rollup(period_end: str, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "QIP_TODAY": "2024-02-20",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "rollup", "--period", period_end],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(process: subprocess.Popen, line: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        got = process.stderr.readline()
        if not got and process.poll() is not None:
            break
        seen.append(got)
        if line in got:
            return got
    process.kill()
    raise AssertionError(f"the roll-up never said {line!r}; it said: {''.join(seen)}")


def _figures(snapshot) -> dict:
    return {name: getattr(snapshot, name) for name in FIGURES}


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_rollup_killed_part_way_leaves_nothing_and_the_rerun_completes(
    programme, isg, other_isg, rollup_plan
):
    sprint_2 = programme.periods.get(cadence="fortnightly", number=2)  # ends 28 January
    expected = {
        s.isg_id: _figures(s)
        for s in rollup.compute(programme, [rollup.Target(sprint_2, sprint_2.ends_on)])
    }
    assert len(expected) == 3  # two ISGs and the programme

    doomed = _rollup("2024-01-28", QIP_FAULT_PAUSE_AFTER_SNAPSHOTS="2")
    try:
        said = _wait_for(doomed, "FAULT: paused after writing")
        assert "2 snapshots" in said  # part of the period's snapshots are written...
        os.kill(doomed.pid, signal.SIGKILL)  # ...when the process dies
        doomed.wait(timeout=30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
        doomed.stdout.close()
        doomed.stderr.close()
    assert doomed.returncode == -signal.SIGKILL

    # Nothing of the killed roll-up was kept: its transaction was rolled back.
    assert not Snapshot.objects.filter(period=sprint_2).exists()
    assert not Snapshot.objects.exists()

    # The re-run (the same command, no fault) completes with the full, correct set.
    rerun = _rollup("2024-01-28")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert "3 snapshots written." in out
    stored = {s.isg_id: _figures(s) for s in Snapshot.objects.filter(period=sprint_2)}
    assert stored == expected
    assert set(stored) == {isg.pk, other_isg.pk, None}
    assert Snapshot.objects.count() == 3  # that period only, each row once
