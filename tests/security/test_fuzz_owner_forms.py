"""Fuzzing the owner's forms: the period's update, the closure request, evidence with its
details. Hostile text, huge and odd numbers, odd dates, tampered hidden fields; no server
error, and whatever is stored is shown escaped on the pages that show it."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories.rootcauses import pdf_bytes, upload

from .fuzz import FUZZ, assert_handled, dates, numbers, text

pytestmark = pytest.mark.django_db

rags = st.one_of(st.sampled_from(["on_track", "at_risk", "off_track"]), text)


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


def _pages(client, root_cause):
    for url in (
        root_cause.get_absolute_url(),
        reverse("rootcause-history", args=[root_cause.pk]),
        reverse("my-root-causes"),
        reverse("sprint-page", args=[root_cause.isg_id, root_cause._period_pk]),
    ):
        assert_handled(client.get(url))


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "rag": rags,
            "narrative": text,
            "recovery_note": text,
            "forecast_date": dates,
            "kpi_value": numbers,
            "kpi_numerator": numbers,
            "kpi_denominator": numbers,
            "evidence_description": text,
            "evidence_effective_from": dates,
            "evidence_review_by": dates,
        }
    ),
    tamper=st.one_of(st.none(), st.fixed_dictionaries({"version": numbers, "period": numbers})),
)
def test_fuzz_the_update_form(owner_client, root_cause, current_sprint, fields, tamper):
    url = reverse("rootcause-update", args=[root_cause.pk])
    form = owner_client.get(url)
    assert_handled(form)
    version = form.context["form"].initial.get("version", 0)
    data = {"version": str(version), "period": str(current_sprint.pk), **fields, **(tamper or {})}
    assert_handled(owner_client.post(url, data))
    root_cause._period_pk = current_sprint.pk
    _pages(owner_client, root_cause)


@FUZZ
@given(
    note=text,
    description=text,
    effective_from=dates,
    review_by=dates,
    with_file=st.booleans(),
    cited=st.one_of(st.just([]), st.lists(numbers, max_size=2)),
)
def test_fuzz_the_closure_request(
    owner_client, root_cause, current_sprint, note, description, effective_from, review_by,
    with_file, cited,
):  # fmt: skip
    url = reverse("rootcause-closure-request", args=[root_cause.pk])
    assert_handled(owner_client.get(url))
    data = {
        "note": note,
        "evidence_description": description,
        "evidence_effective_from": effective_from,
        "evidence_review_by": review_by,
        "evidence_files": cited,
    }
    if with_file:
        data["evidence_file"] = upload("closure audit.pdf", pdf_bytes())
    assert_handled(owner_client.post(url, data))
    root_cause._period_pk = current_sprint.pk
    _pages(owner_client, root_cause)


file_names = st.one_of(
    st.just("audit.pdf"),
    text.map(lambda t: t[:120] + ".pdf"),
    st.sampled_from(["../../etc/passwd.pdf", "<script>alert(1)</script>.pdf", ".pdf", "a" * 300]),
)


@FUZZ
@given(name=file_names, description=text, effective_from=dates, review_by=dates)
def test_fuzz_evidence_details(
    owner_client, root_cause, current_sprint, name, description, effective_from, review_by
):
    url = reverse("rootcause-evidence-add", args=[root_cause.pk])
    assert_handled(owner_client.get(url))
    data = {
        "evidence_file": upload(name.replace("\x00", ""), pdf_bytes()),
        "evidence_description": description,
        "evidence_effective_from": effective_from,
        "evidence_review_by": review_by,
    }
    assert_handled(owner_client.post(url, data))
    root_cause._period_pk = current_sprint.pk
    _pages(owner_client, root_cause)
