"""static/css/qip.css stays well-formed: every rule is closed before the next one starts.

Several parts of the product append their own section to one stylesheet; a merge that drops a
closing brace silently nests every later rule inside the unclosed one (CSS nesting), and the
pages after it lose their styles without any error."""

import re
from pathlib import Path

from django.conf import settings

SHEET = Path(settings.BASE_DIR) / "static" / "css" / "qip.css"


def _without_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def test_every_rule_is_closed_before_the_next_top_level_rule():
    depth, unclosed = 0, []
    for number, line in enumerate(_without_comments(SHEET.read_text()).splitlines(), start=1):
        if line and not line[0].isspace() and "{" in line and depth > 0:
            unclosed.append(number)
        depth += line.count("{") - line.count("}")
    assert unclosed == [], f"a rule is left open before line {unclosed[:1]}"
    assert depth == 0
