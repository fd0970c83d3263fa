"""Every URL pattern of the project, straight from the resolver, and a real path for each.

The walk goes through every include (the admin, the API router, each app), so a page added
anywhere shows up here; tests/security/expectations.py must then say who may open it.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Pattern:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    route: str  # the pattern as written, includes joined ("rootcauses/<int:pk>/update/")
    regex: str  # the full regular expression
    callback: object

    @property
    def key(self) -> str:
        """How the expectations table finds this pattern: its name, else its route."""
        return self.name or self.route

    @property
    def params(self) -> list[str]:
        return normalize(self.regex)[0][1]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def path(self, kwargs: dict) -> str:
        """A path to this pattern with these values: reverse() for a named pattern (it applies
        the path converters, DRF's format suffix among them), the regex for an unnamed one."""
        values = {name: kwargs[name] for name in self.params}
        positional = any(name.startswith("_") for name in values)  # simple-history's admin
        if self.name and not positional:
            return reverse(self.name, kwargs=values)
        template, _ = normalize(self.regex)[0]
        return "/" + template % values


def _strip(regex: str) -> str:
    return regex[1:] if regex.startswith("^") else regex


def _walk(patterns, route: str, regex: str, namespace: str | None):
    for pattern in patterns:
        here_route = route + str(pattern.pattern)
        here_regex = regex + _strip(pattern.pattern.regex.pattern).removesuffix("\\Z")
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, here_route, here_regex, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Pattern(name, here_route, here_regex.removesuffix("$"), pattern.callback)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver().url_patterns, "", "", None))


def pattern_id(pattern: Pattern) -> str:
    """A readable pytest id: the name (with .format for DRF's suffix variants), else the route."""
    ident = pattern.key
    if "format" in pattern.params:
        ident += ".format"
    return re.sub(r"\s+", "", ident)


def check_resolves(pattern: Pattern, path: str) -> None:
    """The path built for a pattern must resolve to that pattern's view (not a neighbour's)."""
    match = resolve(path)
    assert match.func is pattern.callback or getattr(match.func, "__wrapped__", None) is getattr(
        pattern.callback, "__wrapped__", pattern.callback
    ), f"{path} resolves to {match.view_name}, not {pattern.key}"
