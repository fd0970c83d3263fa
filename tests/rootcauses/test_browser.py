"""In headless Chromium: an owner posts an update with a file and asks for closure; the
chair sees the request. And axe-core finds no serious or critical problems on the pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories.rootcauses import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def test_owner_posts_an_update_with_a_file_and_asks_for_closure_and_the_chair_sees_it(
    page, live_server, owner, chair, root_cause, actions
):
    base = live_server.url
    sign_in(page, base, "owner")
    # Owners land on their list, with what is due.
    expect(page).to_have_url(base + "/my/root-causes/")
    expect(page.locator("#owner-counts")).to_contain_text("update due by Sunday 25 February")
    page.get_by_role("link", name=f"Post update for {root_cause.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your update for Sprint 4")

    # The recovery questions appear only when "Off track" is chosen.
    recovery = page.locator("#recovery-fields")
    expect(recovery).to_be_hidden()
    page.get_by_label("Off track: it will not be finished by the due date").check()
    expect(recovery).to_be_visible()
    page.get_by_label("On track: it will be finished by the due date").check()
    expect(recovery).to_be_hidden()

    page.get_by_label("What has happened this sprint?").fill("Policy approved; audit started.")
    page.get_by_label("KPI value for this sprint (optional)").fill("88")
    page.get_by_label("Rewrite the policy").check()
    page.get_by_label("Evidence file (optional)").set_input_files(pdf("February audit.pdf"))
    page.get_by_label("What does this file show?").fill("Audit of escalation calls")
    page.get_by_role("button", name="Save this sprint's update").click()

    expect(page.get_by_role("status")).to_contain_text("Your update for Sprint 4 is posted.")
    timeline = page.locator("#updates")
    expect(timeline).to_contain_text("Policy approved; audit started.")
    expect(timeline).to_contain_text("February audit.pdf")
    expect(page.locator("#kpi")).to_contain_text("88%")

    page.get_by_role("link", name="Request closure").first.click()
    page.get_by_label("How has the root cause been fixed?").fill("Policy live; audit at 100%.")
    page.get_by_label("February audit.pdf", exact=False).check()
    page.get_by_label(re.compile("Upload a new evidence file")).set_input_files(
        pdf("Final audit.pdf")
    )
    page.get_by_label("What does this file show?").fill("Three weekly audits at 100%")
    page.get_by_role("button", name="Ask the chair to confirm closure").click()
    expect(page.locator("#closure-pending")).to_contain_text("Waiting for the chair")
    expect(page.locator("#closure-pending")).to_contain_text("Final audit.pdf")

    page.get_by_role("button", name="Log out").click()
    sign_in(page, base, "chair")
    page.goto(base + f"/rootcauses/{root_cause.pk}/")
    pending = page.locator("#closure-pending")
    expect(pending).to_contain_text("Waiting for the chair")
    expect(pending).to_contain_text("Policy live; audit at 100%.")
    expect(pending).to_contain_text("Final audit.pdf")


def test_without_javascript_the_recovery_questions_are_always_shown(
    browser, live_server, owner, root_cause
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "owner")
    page.goto(live_server.url + f"/rootcauses/{root_cause.pk}/update/")
    expect(page.locator("#recovery-fields")).to_be_visible()
    expect(page.locator("#recovery-fields")).to_contain_text(
        "If it is off track, also answer these two questions."
    )
    context.close()


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1280, 360])
def test_the_owner_s_pages_have_no_serious_accessibility_problems(
    page, live_server, owner, root_cause, actions, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "owner")
    for path in (
        "/my/root-causes/",
        f"/rootcauses/{root_cause.pk}/",
        f"/rootcauses/{root_cause.pk}/update/",
        f"/rootcauses/{root_cause.pk}/history/",
        f"/rootcauses/{root_cause.pk}/closure/",
    ):
        page.goto(live_server.url + path)
        assert _serious(page) == [], path
    # The form with its errors showing, too.
    page.goto(live_server.url + f"/rootcauses/{root_cause.pk}/update/")
    page.get_by_role("button", name="Save this sprint's update").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert _serious(page) == []
