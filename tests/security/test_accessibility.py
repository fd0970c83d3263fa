"""The accessibility sweep: every page each main persona may open, checked in Chromium.

The pages are not a hand list: they are every URL of the resolver whose row in
tests/security/expectations.py answers this persona's GET with a 200 page (not a file, JSON
or the Django admin). Each is checked with axe-core against the WCAG 2.0, 2.1 and 2.2 A and
AA rules (a serious or critical violation fails, naming the page and the rule) and at 360 px
wide, where the page itself must not scroll sideways (a wide table scrolls inside its
`.table-responsive` box instead). The accessibility statement (templates/pages/
accessibility.html) reports what this sweep measures.
"""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from . import expectations as exp
from .urlwalk import all_patterns
from .world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["owner", "chair", "pmo", "executive", "partner"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]},
    "resultTypes": ["violations", "incomplete"],
}
NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}

# What the page's own width is, and the elements that stick out past the window without a
# scrolling box of their own around them (to say what to fix).
OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const scroller = document.scrollingElement;
  const culprits = [];
  if (scroller.scrollWidth > width + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right <= width + 1 || box.width === 0) continue;
      // An absolutely positioned element escapes a scrolling box that is not positioned.
      let inside = false;
      const free = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
      for (let up = el.parentElement; !free && up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) { inside = true; break; }
      }
      if (!inside) {
        const id = el.id ? '#' + el.id : '';
        const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
        culprits.push(el.tagName.toLowerCase() + id + cls + ' (right edge ' + Math.round(box.right) + ')');
      }
    }
  }
  return {scrollWidth: scroller.scrollWidth, innerWidth: width, culprits: culprits.slice(0, 5)};
}"""


def pages_for(world, persona: str, status: int = 200) -> list[tuple[str, str, int]]:
    """(URL name, path, status) of every page this persona may open (or, with status 403 or
    404, is refused), from the resolver and the table."""
    pages = {}
    for pattern in all_patterns():
        row = exp.row_for(pattern)
        if row is None or pattern.is_admin or not row.html or row.get.get(persona) != status:
            continue
        path = exp.path_for(world, pattern, row)
        pages.setdefault(path, pattern.key)
    return sorted((name, path, status) for path, name in pages.items())


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sweep(browser, base: str, username: str | None, pages) -> dict:
    """Open each page at 1280 px, run axe, then narrow the window to 360 px and measure."""
    axe = Axe()
    found = {
        "failures": [],
        "lesser": [],
        "advice": [],
        "undecided": {},
        "overflow": [],
        "count": 0,
    }
    context = browser.new_context(viewport=WIDE)
    try:
        page = context.new_page()
        if username:
            sign_in(page, base, username)
        for name, path, status in pages:
            page.set_viewport_size(WIDE)
            response = page.goto(base + path)
            assert response is not None and response.status == status, (
                f"{path} ({name}) answered {response and response.status}"
            )
            found["count"] += 1
            results = axe.run(page, options=AXE_OPTIONS).response
            for violation in results["violations"]:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                line = (
                    f"{path} ({name}): {violation['impact']} {violation['id']} — "
                    f"{violation['help']} at {'; '.join(targets)}"
                )
                if not set(violation["tags"]) & set(WCAG_TAGS):
                    found["advice"].append(line)  # axe's best practice, not a WCAG rule
                elif violation["impact"] in FAILING_IMPACTS:
                    found["failures"].append(line)
                else:
                    found["lesser"].append(line)
            for item in results["incomplete"]:  # what axe could not decide: for a person
                if item["id"] == "aria-valid-attr-value":
                    # aria-describedby (or -labelledby) naming an element the page lacks
                    targets = [", ".join(node["target"]) for node in item["nodes"][:3]]
                    found["failures"].append(
                        f"{path} ({name}): an ARIA attribute names an element that is not on "
                        f"the page at {'; '.join(targets)}"
                    )
                    continue
                found["undecided"].setdefault(item["id"], set()).add(f"{path} ({name})")
            page.set_viewport_size(NARROW)
            measured = page.evaluate(OVERFLOW_SCRIPT)
            if measured["scrollWidth"] > measured["innerWidth"] + 1:
                found["overflow"].append(
                    f"{path} ({name}): {measured['scrollWidth']} px wide at 360 px; "
                    f"sticking out: {', '.join(measured['culprits']) or 'unknown'}"
                )
    finally:
        context.close()
    return found


def report(persona: str, found: dict, seconds: float) -> None:
    print(
        f"\naccessibility sweep as {persona}: {found['count']} pages in {seconds:.0f} s, "
        f"{len(found['failures'])} serious or critical, {len(found['lesser'])} moderate or "
        f"minor, {len(found['overflow'])} too wide at 360 px"
    )
    for line in found["lesser"]:
        print("  moderate or minor:", line)
    for line in found["advice"]:
        print("  best practice:", line)
    for rule, paths in sorted(found["undecided"].items()):
        print(f"  axe could not decide {rule} on {len(paths)} pages, e.g. {sorted(paths)[:3]}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_persona_may_open_passes_axe_and_fits_360_px(browser, live_server, persona):
    world = build_world()
    pages = pages_for(world, persona)
    assert len(pages) >= 20, pages  # the table gives each main persona most of the site
    started = time.monotonic()
    found = sweep(browser, live_server.url, world.user(persona).username, pages)
    report(persona, found, time.monotonic() - started)
    assert found["count"] == len(pages)
    problems = found["failures"] + found["overflow"]
    assert not problems, "\n".join(problems)


def test_pages_open_without_signing_in_pass_too(browser, live_server):
    """The sign-in page, the accessibility statement and the public progress page."""
    world = build_world()
    pages = pages_for(world, exp.ANON)
    assert {name for name, _, _ in pages} >= {"login", "accessibility", "public-progress"}
    found = sweep(browser, live_server.url, None, pages)
    report("anonymous", found, 0)
    problems = found["failures"] + found["overflow"]
    assert not problems, "\n".join(problems)


def test_the_refusal_pages_pass_too(browser, live_server):
    """What an owner sees on a page they may not open: the 403 and 404 pages."""
    world = build_world()
    pages = pages_for(world, "owner", 403)[:1] + pages_for(world, "owner", 404)[:1]
    assert [status for _, _, status in pages] == [403, 404]
    found = sweep(browser, live_server.url, world.owner.username, pages)
    report("owner, refused", found, 0)
    problems = found["failures"] + found["overflow"]
    assert not problems, "\n".join(problems)
