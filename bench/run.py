"""make bench: load scales 1 and 10, time the pages and the roll-up, write bench/results.json.

Uses DATABASE_URL (PostgreSQL for the budgets), or a SQLite file bench/bench.sqlite3 when
none is set. Pages are measured in-process with Django's test client (server time, no
network), after warm-up; the roll-up is the full roll-up of every ended period and ISG; the
floor is one hand-written SQL GROUP BY over the same root causes × periods, timed in the
same run.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qip.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from core.clock import today  # noqa: E402
from qip.management.commands.generate_programme import programme_name  # noqa: E402
from qip.models import Programme, ReportingPeriod, Snapshot  # noqa: E402
from qip.reporting import rollup  # noqa: E402

SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
WARMUP = 5
ROLLUP_RUNS = 3
FLOOR_WHAT = (
    "one GROUP BY over root causes × ended periods: planned, planned (current), confirmed, "
    "verified, withdrawn, overdue per period, ISG and type"
)

FLOOR_SQL = """
SELECT p.id, rc.isg_id, f.finding_type, COUNT(*),
  SUM(CASE WHEN rc.baseline_due_date <= p.ends_on AND (rc.withdrawn_on IS NULL OR rc.withdrawn_on > p.ends_on) THEN 1 ELSE 0 END),
  SUM(CASE WHEN rc.current_due_date <= p.ends_on AND (rc.withdrawn_on IS NULL OR rc.withdrawn_on > p.ends_on) THEN 1 ELSE 0 END),
  SUM(CASE WHEN rc.completed_on <= p.ends_on AND (rc.withdrawn_on IS NULL OR rc.withdrawn_on > p.ends_on) THEN 1 ELSE 0 END),
  SUM(CASE WHEN rc.verified_on <= p.ends_on AND (rc.withdrawn_on IS NULL OR rc.withdrawn_on > p.ends_on) THEN 1 ELSE 0 END),
  SUM(CASE WHEN rc.withdrawn_on <= p.ends_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN (rc.completed_on IS NULL OR rc.completed_on > p.ends_on)
            AND (rc.withdrawn_on IS NULL OR rc.withdrawn_on > p.ends_on)
            AND rc.current_due_date < p.ends_on THEN 1 ELSE 0 END)
FROM rootcauses_rootcause rc
JOIN findings_finding f ON f.id = rc.finding_id
JOIN qip_reportingperiod p ON p.programme_id = rc.programme_id AND p.ends_on < %s
WHERE rc.programme_id = %s
GROUP BY p.id, rc.isg_id, f.finding_type
"""


BULK_TABLES = [
    "rootcauses_rootcause",
    "rootcauses_update",
    "findings_finding",
    "kpis_kpi",
    "kpis_measurement",
    "qip_reportingperiod",
    "qip_snapshot",
]


def settle() -> None:
    """After a bulk load, vacuum and analyse now, so autovacuum does not do it mid-run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE " + ", ".join(BULK_TABLES))


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def pages_for(programme: Programme) -> list[tuple[str, str | None, str]]:
    as_of = min(today(), programme.periods.order_by("-ends_on").first().ends_on)
    pages = [
        ("executive dashboard", reverse("dashboard", args=[programme.pk]), ""),
        (
            "drill-down list",
            reverse("rootcause-list", args=[programme.pk])
            + f"?type=MUST_DO&completed_by={as_of.isoformat()}",
            "",
        ),
    ]
    isg = programme.isgs.filter(cadence="fortnightly").order_by("order").first()
    sprint = (
        ReportingPeriod.objects.filter(programme=programme, cadence="fortnightly")
        .containing(today())
        .first()
    )
    try:
        pages.append(("sprint page", reverse("sprint-page", args=[isg.pk, sprint.pk]), ""))
    except NoReverseMatch:
        pages.append(("sprint page", None, "skipped: URL name sprint-page does not exist yet"))
    return pages


def measure_page(client: Client, url: str) -> dict:
    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    # Django clears connection.queries at each request, so count with a wrapper instead.
    with connection.execute_wrapper(counter):
        client.get(url)
    times = timed(lambda: client.get(url), REQUESTS)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(p95(times) * 1000, 1),
        "queries": count[0],
    }


def main() -> int:
    settings.DEBUG = False  # no query log overhead while timing
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    results = {"database": connection.vendor, "pages": [], "rollup": [], "floor": []}
    notes = []
    user = get_user_model()
    for scale in SCALES:
        print(f"Building scale {scale}…", flush=True)
        call_command("generate_programme", scale=scale, verbosity=0)
        settle()
        programme = Programme.objects.get(name=programme_name(scale))
        ended = list(programme.periods.filter(ends_on__lt=today()))

        # Roll-up: every ended period and ISG, from scratch each time.
        def full_rollup(programme=programme, ended=ended):
            Snapshot.objects.filter(programme=programme).delete()
            start = time.perf_counter()
            rollup.rollup_periods(programme=programme, periods=ended)
            return time.perf_counter() - start

        full_rollup()  # warm-up
        settle()
        rollup_times = [full_rollup() for _ in range(ROLLUP_RUNS)]
        settle()
        results["rollup"].append(
            {"scale": scale, "seconds": round(statistics.median(rollup_times), 3)}
        )

        def floor(programme=programme):
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, [today().isoformat(), programme.pk])
                cursor.fetchall()

        floor()
        results["floor"].append(
            {
                "scale": scale,
                "what": FLOOR_WHAT,
                "seconds": round(statistics.median(timed(floor, ROLLUP_RUNS)), 3),
            }
        )

        client = Client()
        client.force_login(user.objects.get(username="bench-exec"))
        for name, url, note in pages_for(programme):
            if url is None:
                notes.append(f"{name} (scale {scale}): {note}")
                continue
            results["pages"].append(
                {"name": name, "url": url, "scale": scale, **measure_page(client, url)}
            )

    out = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results.json"))
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results, notes)
    print(f"Wrote {out}")
    return 0


def print_table(results: dict, notes: list[str]) -> None:
    print(f"\nDatabase: {results['database']}")
    print(f"{'page':<22}{'scale':>6}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'×scale-1':>10}")
    base = {(p["name"]): p for p in results["pages"] if p["scale"] == SCALES[0]}
    for page in results["pages"]:
        ratio = ""
        if page["scale"] != SCALES[0] and page["name"] in base:
            ratio = f"{page['median_ms'] / base[page['name']]['median_ms']:.2f}"
        print(
            f"{page['name']:<22}{page['scale']:>6}{page['median_ms']:>11}{page['p95_ms']:>9}"
            f"{page['queries']:>9}{ratio:>10}"
        )
    print(f"\n{'roll-up (all periods)':<22}{'scale':>6}{'seconds':>11}{'floor s':>9}{'÷floor':>9}")
    floors = {f["scale"]: f["seconds"] for f in results["floor"]}
    first = results["rollup"][0]["seconds"]
    for row in results["rollup"]:
        floor = floors[row["scale"]]
        print(
            f"{'':<22}{row['scale']:>6}{row['seconds']:>11}{floor:>9}"
            f"{row['seconds'] / floor if floor else 0:>9.2f}"
            + (
                f"   ×scale-1 {row['seconds'] / first:.2f}"
                if row is not results["rollup"][0]
                else ""
            )
        )
    print(f"Floor: {FLOOR_WHAT}.")
    for note in notes:
        print(f"Note: {note}")


if __name__ == "__main__":
    sys.exit(main())
