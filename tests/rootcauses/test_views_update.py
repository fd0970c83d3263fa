"""Posting and editing the period's update: the happy path, bad input, the conflict page,
uploads, sign-off and who may do it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kpis.models import Measurement
from qip.services import period_sign_off
from rootcauses import services
from rootcauses.models import EvidenceFile, RootCause, Update
from tests.factories.rootcauses import ELF, pdf_bytes, upload

from .test_views_my_root_causes import text

pytestmark = pytest.mark.django_db


def url(rc) -> str:
    return reverse("rootcause-update", args=[rc.pk])


def form_data(period, **overrides) -> dict:
    data = {
        "version": "0",
        "period": str(period.pk),
        "rag": "on_track",
        "narrative": "Policy approved at the governance meeting.",
        "recovery_note": "",
        "forecast_date": "",
        "kpi_value": "",
        "evidence_description": "",
        "evidence_effective_from": "2024-02-20",
        "evidence_review_by": "",
    }
    data.update(overrides)
    return data


def test_the_form_shows_this_sprint_and_its_deadline(client_for, owner, root_cause, actions):
    response = client_for(owner).get(url(root_cause))
    assert response.status_code == 200
    page = text(response)
    assert "Your update for Sprint 4" in page
    assert "Sprint 4 runs from 12 February to Sunday 25 February 2024" in page
    assert "Rewrite the policy" in page  # actions to tick off
    html = response.content.decode()
    assert 'name="version" value="0"' in html
    assert 'enctype="multipart/form-data"' in html
    # Without JavaScript the recovery questions are visible, with a hint.
    assert "If it is off track, also answer these two questions." in page
    assert 'data-reveal-when="rag"' in html


def test_posting_an_update_saves_rag_kpi_actions_and_evidence(
    client_for, owner, root_cause, actions, current_sprint
):
    data = form_data(
        current_sprint,
        kpi_value="87.5",
        actions_done=[str(actions[0].pk)],
        evidence_file=upload("Feb audit.pdf", pdf_bytes()),
        evidence_description="Audit of escalation calls, February",
        evidence_review_by="2024-08-20",
    )
    client = client_for(owner)
    response = client.post(url(root_cause), data)
    update = Update.objects.get(root_cause=root_cause, period=current_sprint)
    assert response.status_code == 302
    assert response["Location"] == f"/rootcauses/{root_cause.pk}/#update-{update.pk}"
    assert update.rag == "on_track"
    assert update.author == owner
    assert Measurement.objects.get(
        kpi=root_cause.kpi, period_end=current_sprint.ends_on
    ).value == Decimal("87.5")
    actions[0].refresh_from_db()
    assert actions[0].done_on == dt.date(2024, 2, 20)
    evidence = EvidenceFile.objects.get()
    assert (evidence.update, evidence.original_name, evidence.review_by) == (
        update,
        "Feb audit.pdf",
        dt.date(2024, 8, 20),
    )
    page = text(client.get(response["Location"]))
    assert "Your update for Sprint 4 is posted." in page
    assert "Policy approved at the governance meeting." in page
    assert "Feb audit.pdf" in page


def test_a_percentage_can_be_given_as_counts(client_for, owner, root_cause, current_sprint):
    data = form_data(current_sprint, kpi_numerator="23", kpi_denominator="25")
    assert client_for(owner).post(url(root_cause), data).status_code == 302
    assert Measurement.objects.get().value == Decimal("92")


def test_posting_again_edits_the_update(
    client_for, owner, root_cause, posted_update, current_sprint
):
    client = client_for(owner)
    form = client.get(url(root_cause))
    assert "Edit your update for Sprint 4" in text(form)
    assert f'name="version" value="{posted_update.version}"' in form.content.decode()
    data = form_data(
        current_sprint,
        version=str(posted_update.version),
        rag="at_risk",
        narrative="Committee delayed.",
    )
    assert client.post(url(root_cause), data).status_code == 302
    assert Update.objects.count() == 1
    posted_update.refresh_from_db()
    assert (posted_update.rag, posted_update.narrative) == ("at_risk", "Committee delayed.")
    assert posted_update.version == 2


def test_off_track_needs_a_recovery_note_and_forecast(
    client_for, owner, root_cause, current_sprint
):
    response = client_for(owner).post(url(root_cause), form_data(current_sprint, rag="off_track"))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "Off track needs a recovery note" in page
    assert "Off track needs a forecast date" in page
    assert "Error: Post the update" in page  # the page title says so
    # What was typed is kept.
    assert "Policy approved at the governance meeting." in page
    assert not Update.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rag": ""}, "Choose on track, at risk or off track"),
        ({"narrative": ""}, "Say in a sentence or two what has happened"),
        ({"kpi_value": "lots"}, "Enter the KPI value as a number"),
        ({"kpi_numerator": "5"}, "Give both the numerator and the denominator, or neither."),
        ({"forecast_date": "31/02/2024"}, "Enter a real date"),
        ({"evidence_description": "An audit"}, "Choose the file to upload"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(
    client_for, owner, root_cause, current_sprint, overrides, message
):
    response = client_for(owner).post(url(root_cause), form_data(current_sprint, **overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert not Update.objects.exists()
    assert not Measurement.objects.exists()


def test_a_renamed_program_is_refused_and_nothing_is_saved(
    client_for, owner, root_cause, current_sprint
):
    data = form_data(
        current_sprint,
        evidence_file=upload("audit.pdf", ELF),
        evidence_description="Audit",
    )
    response = client_for(owner).post(url(root_cause), data)
    assert response.status_code == 400
    assert "audit.pdf is not a PDF file: it is a program" in text(response)
    assert not Update.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_an_oversized_file_is_refused_cleanly_and_nothing_is_saved(
    client_for, owner, root_cause, current_sprint
):
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 1)
    data = form_data(
        current_sprint, evidence_file=upload("scan.pdf", big), evidence_description="Scan"
    )
    response = client_for(owner).post(url(root_cause), data)
    assert response.status_code == 400
    assert "The file is larger than 20 MB" in text(response)
    assert "Policy approved at the governance meeting." in text(response)  # input kept
    assert not Update.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_the_upload_form_still_checks_csrf(owner, root_cause, current_sprint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(url(root_cause), form_data(current_sprint))
    assert response.status_code == 403
    assert not Update.objects.exists()


def test_someone_who_saved_first_wins_and_the_conflict_page_shows_both(
    client_for, owner, chair, root_cause, posted_update, current_sprint
):
    # The owner opens the form at version 1; the chair saves a correction meanwhile.
    services.update_post(
        by=chair,
        root_cause=root_cause,
        period=current_sprint,
        rag="at_risk",
        narrative="Chair: the committee date moved to March.",
        expected_version=posted_update.version,
    )
    data = form_data(
        current_sprint,
        version=str(posted_update.version),
        narrative="Owner: policy approved.",
        kpi_value="90",
        evidence_file=upload("audit.pdf", pdf_bytes()),
        evidence_description="Audit",
    )
    response = client_for(owner).post(url(root_cause), data)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else saved this update first" in page
    assert "Your changes have not been saved, and nothing was overwritten." in page
    assert "Helen Carter saved the update for Sprint 4" in page
    assert "Chair: the committee date moved to March." in page  # theirs
    assert "Owner: policy approved." in page  # yours
    assert "Your evidence file was not uploaded." in page
    assert "Start again from the saved version" in page
    saved = Update.objects.get()
    assert saved.narrative == "Chair: the committee date moved to March."
    assert saved.version == 2
    assert not Measurement.objects.exists()
    assert not EvidenceFile.objects.exists()
    # Starting again loads the saved version, at its version number.
    again = client_for(owner).get(url(root_cause))
    assert 'name="version" value="2"' in again.content.decode()
    assert "Chair: the committee date moved to March." in text(again)


def test_a_new_update_posted_by_someone_else_meanwhile_is_a_conflict(
    client_for, owner, chair, root_cause, current_sprint
):
    services.update_post(
        by=chair, root_cause=root_cause, period=current_sprint, rag="at_risk", narrative="Chair's."
    )
    response = client_for(owner).post(url(root_cause), form_data(current_sprint, version="0"))
    assert response.status_code == 409
    assert Update.objects.get().narrative == "Chair's."


def test_a_signed_off_sprint_is_read_only(
    client_for, owner, chair, root_cause, posted_update, current_sprint
):
    period_sign_off(by=chair, isg=root_cause.isg, period=current_sprint)
    client = client_for(owner)
    assert "Sprint 4 is signed off" in text(client.get(url(root_cause)))
    data = form_data(current_sprint, version="1", narrative="Late change.")
    response = client.post(url(root_cause), data)
    assert "Sprint 4 is signed off" in text(response)
    posted_update.refresh_from_db()
    assert posted_update.narrative == "Policy drafted; out for comment."


def test_a_complete_root_cause_needs_no_update(client_for, owner, root_cause, current_sprint):
    RootCause.objects.filter(pk=root_cause.pk).update(
        status="completed", completed_on=dt.date(2024, 2, 14)
    )
    response = client_for(owner).post(url(root_cause), form_data(current_sprint))
    assert "No more updates are needed" in text(response)
    assert not Update.objects.exists()


def test_the_chair_may_post_for_the_owner(client_for, chair, root_cause, current_sprint):
    assert client_for(chair).post(url(root_cause), form_data(current_sprint)).status_code == 302
    assert Update.objects.get().author == chair


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_owner", 404), ("outsider", 404), ("partner", 403), ("executive", 403)],
)
def test_others_cannot_post_by_changing_the_id(
    request, client_for, root_cause, other_root_cause, current_sprint, persona, status
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(root_cause)).status_code == status
    assert client.post(url(root_cause), form_data(current_sprint)).status_code == status
    assert not Update.objects.filter(root_cause=root_cause).exists()


def test_another_programme_s_period_is_not_accepted(
    client_for, owner, root_cause, outsider, current_sprint
):
    from qip.services import calendar_build

    other = outsider.programme_roles.get().programme
    calendar_build(programme=other, until=dt.date(2024, 3, 31))
    foreign = other.periods.filter(cadence="fortnightly").first()
    response = client_for(owner).post(url(root_cause), form_data(foreign))
    # The foreign period id is ignored: the update goes to this root cause's own sprint.
    assert response.status_code == 302
    assert Update.objects.get().period == current_sprint


def test_a_form_too_large_to_read_gets_a_plain_answer(
    client_for, owner, root_cause, current_sprint, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    data = form_data(current_sprint, narrative="x" * 5000)
    response = client_for(owner).post(url(root_cause), data)
    assert response.status_code == 413
    assert "What you sent is too large" in text(response)
    assert "Evidence files can be up to 20 MB each." in text(response)
    assert not Update.objects.exists()
