"""Load CQC reference data from cqc/data/cqc.json into the lookup tables.

Idempotent: rows are matched by code and updated; rows no longer in the file are retired
(AssessmentItem) rather than deleted. Takes a model getter so that a data migration can
pass its historical `apps.get_model`.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "cqc.json"


def read_reference(path: Path = DATA_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_reference(
    get_model: Callable[[str, str], Any], data: dict[str, Any] | None = None
) -> dict:
    data = data or read_reference()
    model = lambda name: get_model("cqc", name)  # noqa: E731
    counts: dict[str, int] = {}

    frameworks = {}
    for item in data["meta"]["frameworks"]:
        obj, _ = model("Framework").objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "status": item.get("status", "")}
        )
        frameworks[item["code"]] = obj
    counts["frameworks"] = len(frameworks)

    key_questions = {}
    for item in data["key_questions"]:
        obj, _ = model("KeyQuestion").objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "order": item["order"],
                "question": item["question"],
                "summary": item.get("summary", ""),
            },
        )
        key_questions[item["code"]] = obj
    counts["key_questions"] = len(key_questions)

    for item in data["ratings"]:
        model("Rating").objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": item["order"]}
        )
    counts["ratings"] = len(data["ratings"])

    seen: set[tuple[str, str]] = set()
    AssessmentItem = model("AssessmentItem")
    for order, item in enumerate(data["kloes"], start=1):
        AssessmentItem.objects.update_or_create(
            framework=frameworks[item["framework"]],
            code=item["code"],
            defaults={
                "key_question": key_questions[item["key_question"]],
                "kind": "kloe",
                "title": item["title"],
                "question": item["question"],
                "order": order,
                "confirmed": bool(item.get("confirmed", True)),
                "retired": False,
            },
        )
        seen.add((item["framework"], item["code"]))
    statements = data["quality_statements"]
    for kq_code, items in statements["by_key_question"].items():
        for item in items:
            AssessmentItem.objects.update_or_create(
                framework=frameworks[statements["framework"]],
                code=item["code"],
                defaults={
                    "key_question": key_questions[kq_code],
                    "kind": "quality_statement",
                    "title": item["name"],
                    "question": "",
                    "order": item["order"],
                    "confirmed": bool(item.get("confirmed", True)),
                    "retired": False,
                },
            )
            seen.add((statements["framework"], item["code"]))
    for existing in AssessmentItem.objects.select_related("framework"):
        if (existing.framework.code, existing.code) not in seen and not existing.retired:
            existing.retired = True
            existing.save(update_fields=["retired"])
    counts["assessment_items"] = len(seen)

    regulations = data["regulations"]
    for item in regulations["items"]:
        model("Regulation").objects.update_or_create(
            code=item["code"],
            defaults={
                "instrument": item["instrument"],
                "number": item["number"],
                "title": item["title"],
                "fundamental_standard": bool(item.get("fundamental_standard")),
            },
        )
    counts["regulations"] = len(regulations["items"])

    CoreService = model("CoreService")
    services = data["core_services"]
    for item in services["items"]:
        CoreService.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "order": item.get("order", 0),
                "scope": item.get("scope", ""),
                "legacy": False,
            },
        )
    for item in services.get("legacy_items", []):
        legacy, _ = CoreService.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": 99, "legacy": True}
        )
        legacy.replaced_by.set(CoreService.objects.filter(code__in=item.get("replaced_by", [])))
    counts["core_services"] = len(services["items"]) + len(services.get("legacy_items", []))

    for order, item in enumerate(data["finding_sources"], start=1):
        model("FindingSource").objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": order}
        )
    counts["finding_sources"] = len(data["finding_sources"])

    for item in data["enforcement_types"]:
        model("EnforcementType").objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "legal_basis": item.get("legal_basis", ""),
                "definition": item.get("definition", ""),
                "applies_to_nhs_trusts": bool(item.get("applies_to_nhs_trusts", True)),
            },
        )
    counts["enforcement_types"] = len(data["enforcement_types"])
    return counts
