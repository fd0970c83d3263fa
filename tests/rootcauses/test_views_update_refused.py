"""The database refusing a write while an owner posts the update: a friendly page with what
they typed, nothing saved (not even half an update), and saving works again afterwards."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import OutboxMessage
from kpis.models import Measurement
from rootcauses.models import Update
from tests.core.test_middleware import _allow_writes_again, _make_database_refuse_writes

NARRATIVE = "Ward 7 re-audit done on 14 Feb; two <b>late</b> escalations & one missed call."


def _form(period) -> dict:
    return {
        "version": "0",
        "period": str(period.pk),
        "rag": "off_track",
        "narrative": NARRATIVE,
        "recovery_note": "Matron to re-audit both wards by the end of March.",
        "forecast_date": "2024-04-30",
        "kpi_value": "62.5",
        "evidence_description": "",
        "evidence_effective_from": "2024-02-20",
        "evidence_review_by": "",
    }


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_keeps_the_owners_words_and_saves_nothing(
    owner, root_cause, current_sprint
):
    client = Client()
    client.force_login(owner)
    url = reverse("rootcause-update", args=[root_cause.pk])
    assert client.get(url).status_code == 200

    _make_database_refuse_writes()
    try:
        refused = client.post(url, _form(current_sprint))
    finally:
        _allow_writes_again()

    assert refused.status_code == 503
    body = refused.content.decode()
    assert "Your change was not saved" in body
    assert "nothing was saved" in body
    # What they typed comes back, escaped, so that they can copy it.
    assert "Ward 7 re-audit done on 14 Feb; two &lt;b&gt;late&lt;/b&gt; escalations" in body
    assert "Matron to re-audit both wards" in body
    assert "<b>late</b>" not in body
    assert refused["X-Request-ID"] in body
    # Nothing of it was written: no update, no KPI value, no task, no status change.
    assert not Update.objects.exists()
    assert not Measurement.objects.exists()
    assert not OutboxMessage.objects.exists()
    root_cause.refresh_from_db()
    assert (root_cause.status, root_cause.current_rag) == ("not_started", "")

    # The database accepts writes again: the same form saves.
    saved = client.post(url, _form(current_sprint))
    assert saved.status_code == 302
    update = Update.objects.get(root_cause=root_cause, period=current_sprint)
    assert update.narrative == NARRATIVE
    assert Measurement.objects.get().period_end == current_sprint.ends_on
