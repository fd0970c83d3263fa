"""Print the load test's table from Locust's CSV: per page, requests per second, median and
95th percentile latency, requests and failures. Exit 1 if any request failed.

    python load/report.py load/out/locust     # reads load/out/locust_stats.csv
"""

import csv
import sys


def main(prefix: str) -> int:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    header = (
        f"{'page':<26} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'requests':>9} {'failures':>9}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        if name == "TOTAL":
            print("-" * len(header))
        else:
            failures += int(row["Failure Count"])
        print(
            f"{name:<26} {float(row['Requests/s']):>7.1f} {row['Median Response Time']:>10} "
            f"{row['95%']:>8} {row['Request Count']:>9} {row['Failure Count']:>9}"
        )
    if failures:
        print(f"\n{failures} requests failed:")
        with open(f"{prefix}_failures.csv", newline="", encoding="utf-8") as failed:
            for row in csv.DictReader(failed):
                print(f"  {row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
