"""`make bench` keeps working: one tiny run (scale 1, two requests a page) on a scratch SQLite."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_writes_results_in_the_issue_shape(tmp_path):
    out = tmp_path / "results.json"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "BENCH_SCALES": "1",
        "BENCH_REQUESTS": "2",
        "BENCH_OUT": str(out),
        "QIP_TODAY": "",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(out.read_text())
    assert set(results) == {"database", "pages", "rollup", "floor"}
    assert results["database"] == "sqlite"
    names = {page["name"] for page in results["pages"]}
    assert {"executive dashboard", "drill-down list"} <= names
    for page in results["pages"]:
        assert set(page) == {"name", "url", "scale", "median_ms", "p95_ms", "queries"}
        assert 0 < page["queries"] <= 25
    assert results["rollup"][0]["scale"] == 1 and results["rollup"][0]["seconds"] > 0
    assert set(results["floor"][0]) == {"scale", "what", "seconds"}
    assert "median ms" in run.stdout
