"""The apps are layered (docs/architecture.md): a lower app never imports a higher one.

qip has two parts. Its foundation — models, rules, access helpers and calendar services —
imports no domain app, and every app may build on it. Its top — reporting, views, commands,
the API, the import, board papers and the demo — reads every app. So the import graph has no
cycle even though qip appears at both ends. This test reads every module's imports.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each app, and the apps it may import (besides the qip foundation).
ALLOWED = {
    "core": set(),
    "cqc": {"core"},
    "findings": {"core", "cqc"},
    "kpis": {"core", "cqc"},
    "rootcauses": {"core", "cqc", "findings", "kpis"},
    "governance": {"core", "cqc", "findings", "kpis", "rootcauses"},
    "engagement": {"core", "cqc", "findings", "kpis", "rootcauses"},
}
APPS = {*ALLOWED, "qip"}
QIP_FOUNDATION = ("qip.models", "qip.rules", "qip.access", "qip.services", "qip.navigation")
QIP_FOUNDATION_FILES = (
    "qip/models/",
    "qip/rules.py",
    "qip/access.py",
    "qip/services.py",
    "qip/navigation.py",
)


def _imports(path: Path) -> set[str]:
    """Dotted module names imported from the project's apps."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] in APPS}


def _modules(app: str):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" not in path.parts:
            yield path


def _is_foundation(module: str) -> bool:
    return any(module == part or module.startswith(part + ".") for part in QIP_FOUNDATION)


def test_no_lower_app_imports_a_higher_one():
    offences = []
    for app, allowed in ALLOWED.items():
        for path in _modules(app):
            for module in _imports(path):
                top = module.split(".")[0]
                if top == app or top in allowed:
                    continue
                if top == "qip" and app != "core" and _is_foundation(module):
                    continue
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_the_qip_foundation_imports_no_domain_app():
    offences = []
    for path in _modules("qip"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(QIP_FOUNDATION_FILES):
            for module in _imports(path):
                top = module.split(".")[0]
                if top not in {"core", "cqc"} and not (top == "qip" and _is_foundation(module)):
                    offences.append(f"{relative} imports {module}")
    assert offences == []
