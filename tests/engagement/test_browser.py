"""In headless Chromium: the PMO approves a story and the public sees it on a phone, without
a cookie; axe-core finds no serious or critical problems on the pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import ConsentedFeedbackFactory, PublicPageFactory, StoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="module", autouse=True)
def _restore_cqc_reference_data(django_db_blocker):
    """A transactional test flushes every table when it ends, the CQC reference data (loaded by
    a data migration) with it. Module scope: this runs after the last test's flush."""
    yield
    from django.apps import apps

    from cqc.loader import load_reference
    from cqc.models import Framework

    with django_db_blocker.unblock():
        if not Framework.objects.exists():
            load_reference(apps.get_model)


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_pmo_approves_a_story_and_the_public_reads_it_on_a_phone(
    page, browser, live_server, programme, pmo, root_cause
):
    base = live_server.url
    quote = ConsentedFeedbackFactory(programme=programme, quote="Seen and home in two hours")
    story = StoryFactory(
        programme=programme,
        title="ED: patient flow in minors",
        status="awaiting_approval",
        feedback=[quote],
    )
    programme.publish_progress = True
    programme.save()
    PublicPageFactory(programme=programme, introduction="Our progress, in plain words.")

    sign_in(page, base, "pmo")
    page.goto(base + f"/engagement/stories/{story.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ED: patient flow in minors")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve for publication").click()
    expect(page.get_by_role("status").first).to_contain_text("Approved")
    assert serious(page) == []
    page.goto(base + f"/programmes/{programme.pk}/engagement/")
    expect(page.locator("#stories-title")).to_be_visible()
    assert serious(page) == []

    phone = browser.new_context(viewport={"width": 360, "height": 740})
    public = phone.new_page()
    public.goto(base + f"/public/{programme.pk}/progress/")
    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Our progress since the CQC inspection"
    )
    expect(public.locator("body")).to_contain_text("Seen and home in two hours")
    assert phone.cookies() == []
    width = public.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert serious(public) == []
    phone.close()
