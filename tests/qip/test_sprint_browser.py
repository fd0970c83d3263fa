"""A chair confirms a closure on the sprint page, in Chromium, as in the ISG meeting."""

import pytest
from django.apps import apps

from cqc.loader import load_reference
from rootcauses import services as rc_services
from rootcauses.models import RootCause


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests empty every table when they end, CQC reference data included.

    Load it first (an earlier transactional test may have emptied it) and put it back after.
    """
    load_reference(apps.get_model)
    yield
    load_reference(apps.get_model)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chair_confirms_a_closure_on_the_sprint_page(
    reference_data, live_server, page, isg, root_cause, chair, current_sprint
):
    rc_services.closure_request(
        by=root_cause.owner, root_cause=root_cause, note="Audit at 100% for three weeks."
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chair")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/isgs/{isg.pk}/")  # the ISG opens on its current sprint

    assert page.locator("h1").inner_text() == "Sprint 4: 12–25 February 2024"
    waiting = page.locator("#closures-waiting")
    assert "Audit at 100% for three weeks." in waiting.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    waiting.get_by_role("button", name="Confirm closure of WC-MD-07 RC2").click()
    page.wait_for_load_state()

    assert "counts as completed today" in page.locator(".alert-success").inner_text()
    assert page.locator("#closures-waiting").count() == 0
    assert "Closure requests waiting (0)" in page.content()
    root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.COMPLETED
    assert str(root_cause.completed_on) == "2024-02-20"
    assert root_cause.closure_confirmed_by == chair
