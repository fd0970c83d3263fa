"""A synthetic programme N times the seed trust, for the benchmark (make bench).

Scale 1 is the seed trust's plan (170 findings, 423 root causes in five ISGs) over three
years of fortnightly sprints, with ~5,000 updates and ~10,000 KPI measurements; scale N
multiplies findings, root causes, owners, updates and measurements by N. The number of
ISGs stays five: a bigger trust has bigger steering groups, not hundreds of them.

Rows are written with bulk_create: this is test data, not user activity, so it bypasses
the services (and their audit history) on purpose.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.clock import today
from cqc.models import FindingSource, Framework
from findings.models import Finding
from kpis.models import KPI, Measurement
from qip.models import ImprovementSteeringGroup, Programme, ProgrammeRole, ReportingPeriod
from qip.services import calendar_build
from rootcauses.models import RAG, RootCause, Update

# code, name, cadence, Must Do findings, Should Do findings, Must Do RCs, Should Do RCs (seeds/003)
SEED_ISGS = [
    ("WC", "Women's and Children's", "fortnightly", 21, 27, 47, 35),
    ("SC", "Scheduled Care", "fortnightly", 16, 42, 45, 68),
    ("UC", "Unscheduled Care", "fortnightly", 20, 9, 68, 23),
    ("WF", "Workforce", "fortnightly", 21, 10, 105, 16),
    ("WL", "Well-led", "monthly", 1, 3, 8, 8),
]
YEARS = 3
UPDATES_PER_ROOT_CAUSE = 13
MEASUREMENTS_PER_KPI = 24
BENCH_USERS = {"bench-exec": "executive", "bench-pmo": "pmo", "bench-partner": "partner"}


def programme_name(scale: int) -> str:
    return f"Synthetic programme at {scale}× the seed trust"


class Command(BaseCommand):
    help = "Build a synthetic programme N times the seed trust (for make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = the seed trust's size.")
        parser.add_argument("--seed", type=int, default=2019, help="Random seed.")

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 1 <= scale <= 100:
            raise CommandError("--scale must be between 1 and 100.")
        with transaction.atomic():
            existing = Programme.objects.filter(name=programme_name(scale)).first()
            if existing is not None:
                delete_programme(existing)
            programme = build(scale, random.Random(options["seed"]))
        counts = {
            "root causes": RootCause.objects.filter(programme=programme).count(),
            "updates": Update.objects.filter(root_cause__programme=programme).count(),
            "measurements": Measurement.objects.filter(kpi__programme=programme).count(),
            "periods": programme.periods.count(),
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {programme} (id {programme.pk}): "
                + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            )
        )


def delete_programme(programme: Programme) -> None:
    """Remove a synthetic programme; PROTECTed links go bottom-up, big tables in bulk.

    The big tables are deleted by their parents' ids, not through a join: inside one
    transaction PostgreSQL has no statistics for rows it has just written, and a
    `DELETE … WHERE id IN (SELECT … JOIN …)` planned as a nested loop took minutes.
    """
    kpi_ids = list(KPI.objects.filter(programme=programme).values_list("pk", flat=True))
    root_cause_ids = list(
        RootCause.objects.filter(programme=programme).values_list("pk", flat=True)
    )
    Measurement.objects.filter(kpi_id__in=kpi_ids)._raw_delete(Measurement.objects.db)
    Update.objects.filter(root_cause_id__in=root_cause_ids)._raw_delete(Update.objects.db)
    programme.snapshots.all().delete()
    RootCause.objects.filter(programme=programme)._raw_delete(RootCause.objects.db)
    KPI.objects.filter(programme=programme)._raw_delete(KPI.objects.db)
    for finding_ids in [list(programme.findings.values_list("pk", flat=True))]:
        Finding.key_questions.through.objects.filter(finding_id__in=finding_ids).delete()
    Finding.objects.filter(programme=programme)._raw_delete(Finding.objects.db)
    programme.delete()


def _users(prefix: str, n: int) -> list:
    User = get_user_model()
    names = [f"{prefix}{i}" for i in range(n)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=name,
                password="!",  # noqa: S106 - unusable
                first_name="Synthetic",
                last_name=name,
            )
            for name in names
            if name not in existing
        ]  # noqa: E501
    )
    return list(User.objects.filter(username__in=names).order_by("username"))


def build(scale: int, rng: random.Random) -> Programme:
    end = today()
    anchor = end - dt.timedelta(days=14 * 26 * YEARS)
    anchor -= dt.timedelta(days=anchor.weekday())  # sprints start on a Monday
    programme = Programme.objects.create(
        name=programme_name(scale),
        trust_name=f"Synthetic NHS Trust (×{scale})",
        framework=Framework.objects.get(code="KLOE_HC_2017"),
        sprint_anchor=anchor,
    )
    calendar_build(programme=programme, until=end + dt.timedelta(days=120))
    periods = {
        cadence: list(programme.periods.filter(cadence=cadence).order_by("starts_on"))
        for cadence in ("fortnightly", "monthly")
    }
    for username, role in BENCH_USERS.items():
        user = _bench_user(username)
        ProgrammeRole.objects.create(programme=programme, user=user, role=role)

    chairs = _users(f"bench{scale}-chair", len(SEED_ISGS))
    owners = _users(f"bench{scale}-owner", 40 * scale)
    source = FindingSource.objects.get(code="INSPECTION_REPORT")
    isgs = ImprovementSteeringGroup.objects.bulk_create(
        [
            ImprovementSteeringGroup(
                programme=programme,
                name=name,
                code=code,
                cadence=cadence,
                chair=chairs[i],
                order=i + 1,
                structured_by_kloe=cadence == "monthly",
            )
            for i, (code, name, cadence, *_rest) in enumerate(SEED_ISGS)
        ]
    )
    findings, specs = [], []
    for isg, (code, _name, _cadence, md_f, sd_f, md_rc, sd_rc) in zip(isgs, SEED_ISGS, strict=True):
        for kind, short, n_findings, n_rcs in (
            ("MUST_DO", "MD", md_f, md_rc),
            ("SHOULD_DO", "SD", sd_f, sd_rc),
        ):
            group = [
                Finding(
                    programme=programme,
                    isg=isg,
                    reference=f"{code}-{short}-{n:03d}",
                    finding_type=kind,
                    text=f"The trust must address synthetic finding {n}.",
                    source=source,
                )
                for n in range(1, n_findings * scale + 1)
            ]
            findings += group
            specs.append((isg, group, n_rcs * scale))
    Finding.objects.bulk_create(findings)

    first_due = anchor + dt.timedelta(days=28)
    last_due = end + dt.timedelta(days=90)
    span = (last_due - first_due).days
    root_causes, kpis = [], []
    for isg, group, n_rcs in specs:
        for i in range(n_rcs):
            finding = group[i % len(group)]
            due = first_due + dt.timedelta(days=rng.randrange(span))
            kpis.append(
                KPI(
                    programme=programme,
                    isg=isg,
                    name=f"Synthetic KPI {finding.reference} RC{i}",
                    unit=KPI.Unit.PERCENTAGE,
                    target=95,
                )
            )
            root_causes.append(_root_cause(programme, isg, finding, i, due, end, owners, rng))
    KPI.objects.bulk_create(kpis, batch_size=2000)
    for rc, kpi in zip(root_causes, kpis, strict=True):
        rc.kpi = kpi
    RootCause.objects.bulk_create(root_causes, batch_size=2000)

    updates = []
    for rc in root_causes:
        updates += _updates(rc, periods[rc.isg.cadence], end, rng)
    latest = {}
    for update in updates:
        latest[update.root_cause_id] = update.rag
    for rc in root_causes:
        rc.current_rag = latest.get(rc.pk, "")
        if rc.status == RootCause.Status.NOT_STARTED and rc.pk in latest:
            rc.status = RootCause.Status.IN_PROGRESS
    RootCause.objects.bulk_update(root_causes, ["current_rag", "status"], batch_size=2000)
    Update.objects.bulk_create(updates, batch_size=5000)

    sprint_ends = [p.ends_on for p in periods["fortnightly"] if p.ends_on <= end]
    measurements = [
        Measurement(kpi=kpi, period_end=day, value=rng.randrange(50, 100))
        for kpi in kpis
        for day in sprint_ends[-MEASUREMENTS_PER_KPI:]
    ]
    Measurement.objects.bulk_create(measurements, batch_size=5000)
    return programme


def _bench_user(username: str):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": username}
    )
    return user


def _root_cause(programme, isg, finding, i, due, end, owners, rng) -> RootCause:
    rc = RootCause(
        programme=programme,
        isg=isg,
        finding=finding,
        reference=f"{finding.reference} RC{i}",
        title=f"Synthetic root cause {i} of {finding.reference}",
        owner=owners[rng.randrange(len(owners))],
        baseline_due_date=due,
        current_due_date=due + dt.timedelta(days=28) if rng.random() < 0.2 else due,
    )
    roll = rng.random()
    done = due + dt.timedelta(days=rng.randrange(-14, 45))
    if roll < 0.02 and due < end:
        rc.status, rc.withdrawn_on = RootCause.Status.WITHDRAWN, min(due, end)
    elif roll < 0.9 and done < end:
        rc.status, rc.completed_on = RootCause.Status.COMPLETED, done
        if rng.random() < 0.3 and done + dt.timedelta(days=30) < end:
            rc.verified_on = done + dt.timedelta(days=30)
    return rc


def _updates(rc, periods: list[ReportingPeriod], end, rng) -> list[Update]:
    stop = min(d for d in (rc.completed_on, rc.withdrawn_on, end) if d is not None)
    mine = [
        p
        for p in periods
        if p.starts_on <= stop
        and p.ends_on >= rc.baseline_due_date - dt.timedelta(days=14 * UPDATES_PER_ROOT_CAUSE)
    ]  # noqa: E501
    updates = []
    for period in mine[-UPDATES_PER_ROOT_CAUSE:]:
        if rng.random() < 0.05:
            continue  # an update that was never posted
        late = period.ends_on >= rc.baseline_due_date
        rag = RAG.OFF_TRACK if late else (RAG.AT_RISK if rng.random() < 0.1 else RAG.ON_TRACK)
        posted = min(period.ends_on, end)
        updates.append(
            Update(
                root_cause=rc,
                period=period,
                rag=rag,
                narrative="Synthetic progress note.",
                recovery_note="Recovery plan agreed at the ISG." if rag == RAG.OFF_TRACK else "",
                forecast_date=rc.baseline_due_date + dt.timedelta(days=42)
                if rag == RAG.OFF_TRACK
                else None,
                author=rc.owner,
                posted_at=dt.datetime.combine(posted, dt.time(12), tzinfo=dt.UTC),
                updated_at=dt.datetime.combine(posted, dt.time(12), tzinfo=dt.UTC),
            )
        )
    return updates
