"""The stylesheet parses as written: every rule is closed.

Several branches append their own section to static/css/qip.css; a merge that drops a
closing brace nests every later rule inside the unclosed one, and Chromium then applies
those rules nowhere (the accessibility sweep found pink <code> and unstyled pages that way).
"""

from pathlib import Path

import tinycss2

DECLARATION_AT_RULES = {"page", "font-face"}
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
            where = f"inside @{rule.lower_at_keyword} line {rule.source_line}, "
            if rule.lower_at_keyword in DECLARATION_AT_RULES or "inside @page" in within:
                # @page (and its margin boxes, @bottom-right…) and @font-face hold declarations
                for inner in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
                    if inner.type == "error":
                        problems.append(f"{where}line {inner.source_line}: {inner.message}")
                    elif inner.type == "at-rule" and inner.content is not None:
                        stack.append((inner, where))
                    elif inner.type == "qualified-rule":  # a selector here: a brace is missing
                        selector = tinycss2.serialize(inner.prelude).strip()
                        problems.append(f"{where}line {inner.source_line}: '{selector}' inside")
                continue
            for inner in tinycss2.parse_rule_list(rule.content, skip_whitespace=True):
                stack.append((inner, where))
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


def test_the_check_reads_page_margin_boxes_and_finds_an_unclosed_one(tmp_path):
    good = tmp_path / "print.css"
    good.write_text("@page {\n  size: A4;\n  @bottom-right { content: counter(page); }\n}\n")
    assert _problems(good) == []
    broken = tmp_path / "broken.css"
    broken.write_text(
        "@page {\n  size: A4;\n  @bottom-right { content: counter(page);\n}\n.a { }\n"
    )
    assert _problems(broken) != []
