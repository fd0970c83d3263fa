"""Benchmark: check and import a plan of N rows (default 5,000, the file limit) into an empty
programme, then import it again (everything left alone).

    DATABASE_URL=... python bench/plan_import.py --rows 5000

Prints the seconds each step took. Uses a throwaway programme and removes it afterwards.
"""

import argparse
import csv
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qip.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from cqc.models import Framework  # noqa: E402
from qip.management.commands.load_demo import _delete_programme  # noqa: E402
from qip.models import Programme  # noqa: E402
from qip.plan_import.columns import COLUMNS, HEADERS  # noqa: E402
from qip.plan_import.engine import check_file, import_file  # noqa: E402
from qip.plan_import.report import Options  # noqa: E402

ISGS = ["Women's and Children's", "Scheduled Care", "Unscheduled Care", "Workforce", "Well-led"]


def plan_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    start = dt.date(2019, 3, 4)
    for n in range(rows):
        isg = ISGS[(n // 3) % len(ISGS)]
        finding = f"F-{n // 3:05d}"
        values = {
            "isg": isg,
            "finding_reference": finding,
            "finding_type": "Must Do" if (n // 3) % 2 == 0 else "Should Do",
            "finding_text": f"The trust must fix {finding}.",
            "cqc_domain": "Safe",
            "regulation": "12" if (n // 3) % 2 == 0 else "",
            "root_cause_reference": f"{finding} RC{n % 3 + 1}",
            "root_cause_description": f"Root cause {n}",
            "owner_email": f"owner{n % 300}@example-trust.nhs.uk",
            "baseline_due_date": (start + dt.timedelta(days=n % 365)).isoformat(),
            "status": "Not started",
            "kpi_name": f"KPI {n}",
            "kpi_target": "95%",
        }
        writer.writerow([values.get(column.key, "") for column in COLUMNS])
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows
    content = plan_csv(rows)
    programme = Programme.objects.create(
        name=f"Benchmark {time.time()}",
        framework=Framework.objects.get(code="KLOE_HC_2017"),
        sprint_anchor=dt.date(2019, 3, 4),
    )
    try:
        for label, action in [
            ("dry run (new plan)", check_file),
            ("import (new plan)", import_file),
            ("re-import (all left alone)", import_file),
        ]:
            began = time.perf_counter()
            report = action(
                programme=programme,
                name="bench.csv",
                stream=io.BytesIO(content),
                options=Options(),
                by=None,
            )
            assert report.ok, report.problems[:3]
            print(f"{rows} rows, {label}: {time.perf_counter() - began:.1f} s — {report.summary()}")
    finally:
        with transaction.atomic():
            _delete_programme(programme)


if __name__ == "__main__":
    main()
