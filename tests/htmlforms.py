"""Read a page's form as a browser would submit it: what the person sees, posted back.

    data = form_data(response, having="version")   # {name: value or [values]}

Inputs (text, hidden, date, number, radio and checkbox that are checked), selects (the
selected options, else the first) and textareas; file inputs and buttons are left out.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        assert self._form is not None
        self._form["fields"].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self._form["fields"] = {}
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"file", "submit", "button", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._add(name, a.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._form["fields"].setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = a
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value = self._option.get("value", "".join(self._text).strip())
            if self._select_first is None:
                self._select_first = value
            if "selected" in self._option:
                self._add(self._select, value)
                self._select_chosen = True
            self._option = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_data(
    response, action: str | None = None, method: str = "post", having: str | None = None
) -> dict:
    """The fields of the page's first form with that method (and action, and a field named
    `having`, if given): the sign-out button is a form too."""
    parser = _FormParser(action)
    parser.feed(response.content.decode())
    for form in parser.forms:
        if form["method"] != method:
            continue
        if action is not None and form["action"] not in {action, ""}:
            continue
        if having is not None and having not in form["fields"]:
            continue
        return {k: v[0] if len(v) == 1 else v for k, v in form["fields"].items() if v}
    raise AssertionError(f"no {method} form{' for ' + action if action else ''} on the page")
