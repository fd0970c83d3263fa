"""Cross-reference checks the compose schema cannot do: depends_on targets and named volumes."""

import sys

import yaml


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        compose = yaml.safe_load(handle)
    services = compose.get("services", {})
    volumes = set((compose.get("volumes") or {}).keys())
    problems = []
    for name, service in services.items():
        depends = service.get("depends_on") or {}
        for target in depends if isinstance(depends, list) else depends.keys():
            if target not in services:
                problems.append(f"{name}: depends_on unknown service {target!r}")
        for volume in service.get("volumes") or []:
            source = (
                volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
            )
            if source and not source.startswith((".", "/", "~")) and source not in volumes:
                problems.append(f"{name}: volume {source!r} is not declared under volumes:")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{path}: {len(services)} services, {'ok' if not problems else 'problems found'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
