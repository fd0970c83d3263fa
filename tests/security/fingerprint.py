"""What is in the database, to prove a refused request changed nothing.

`row_counts` is cheap (one query): the number of rows in every table of the domain apps and
their audit history, for the matrix's thousands of empty POSTs; every write through a service
adds a history row, so a write shows up in the counts. `rows` is thorough: every value of every
row of those tables, for the id-tampering tests.
"""

from django.apps import apps
from django.db import connection

DOMAIN_APPS = ("auth", "qip", "findings", "kpis", "rootcauses", "governance", "engagement")


def _models():
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    ]


def row_counts() -> tuple:
    tables = sorted(model._meta.db_table for model in _models())
    # Table names come from the models, quoted by the backend: nothing from a request.
    counts = [f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def counts_changed(before: tuple, after: tuple) -> list[str]:
    return [f"{t} {a}→{b}" for (t, a), (_, b) in zip(before, after, strict=True) if a != b]


def rows() -> dict[str, list[tuple]]:
    """Every row of every domain table (the world is small), in primary key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list()) for model in _models()
    }


def rows_changed(before: dict, after: dict) -> list[str]:
    changed = []
    for label, old in before.items():
        new = after[label]
        if old != new:
            gone = [r for r in old if r not in new]
            added = [r for r in new if r not in old]
            changed.append(f"{label}: removed {gone[:2]}, added {added[:2]}")
    return changed
