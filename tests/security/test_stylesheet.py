"""The stylesheet parses as written: every rule is closed.

Several branches append their own section to static/css/qip.css; a merge that drops a
closing brace nests every later rule inside the unclosed one, and Chromium then applies
those rules nowhere (the accessibility sweep found pink <code> and unstyled pages that way).
"""

from pathlib import Path

import tinycss2

STYLESHEETS = sorted((Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css"))


def _problems(path: Path) -> list[str]:
    problems = []
    rules = tinycss2.parse_stylesheet(path.read_text(), skip_comments=True, skip_whitespace=True)
    stack = [(rule, "") for rule in rules]
    while stack:
        rule, within = stack.pop()
        if rule.type == "error":
            problems.append(f"{within}line {rule.source_line}: {rule.message}")
        elif rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            for inner in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
                if inner.type in ("qualified-rule", "at-rule"):
                    problems.append(
                        f"line {rule.source_line}: '{selector}' is not closed before line "
                        f"{inner.source_line}"
                    )
                    break
        elif rule.type == "at-rule" and rule.content is not None:
            for inner in tinycss2.parse_rule_list(rule.content, skip_whitespace=True):
                stack.append((inner, f"inside @{rule.lower_at_keyword} line {rule.source_line}, "))
    return problems


def test_there_are_stylesheets():
    assert any(path.name == "qip.css" for path in STYLESHEETS)


def test_every_rule_of_our_stylesheets_is_closed():
    problems = [f"{path.name} {problem}" for path in STYLESHEETS for problem in _problems(path)]
    assert problems == []


def test_the_check_finds_an_unclosed_rule(tmp_path):
    broken = tmp_path / "broken.css"
    broken.write_text(".a {\n  color: red;\n\n.b {\n  color: blue;\n}\n")
    assert _problems(broken) == ["line 1: '.a' is not closed before line 4"]
