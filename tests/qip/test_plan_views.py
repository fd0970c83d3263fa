"""The PMO's plan pages: upload, dry run, commit, template and export, with permissions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from qip.plan_import.columns import HEADERS
from rootcauses.models import RootCause

from .plan_files import csv_bytes, row

pytestmark = pytest.mark.django_db


def upload(client, programme, content, name="plan.csv", **options):
    data = {"file": SimpleUploadedFile(name, content), **options}
    return client.post(reverse("plan-import", args=[programme.pk]), data)


class TestPermissions:
    @pytest.mark.parametrize("name", ["plan-home", "plan-import", "plan-template", "plan-export"])
    def test_outsider_gets_404(self, client, outsider, programme, name):
        client.force_login(outsider)
        args = (
            [programme.pk, "xlsx"] if name in ("plan-template", "plan-export") else [programme.pk]
        )
        assert client.get(reverse(name, args=args)).status_code == 404

    @pytest.mark.parametrize("persona", ["executive", "partner", "owner", "chair"])
    def test_other_members_get_403(self, client, request, programme, root_cause, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("plan-home", args=[programme.pk])).status_code == 403
        response = upload(client, programme, csv_bytes([row()]))
        assert response.status_code == 403
        response = client.post(reverse("plan-commit", args=[programme.pk]), {"token": "x"})
        assert response.status_code == 403
        assert client.get(reverse("plan-export", args=[programme.pk, "csv"])).status_code == 403

    def test_signed_out_is_sent_to_sign_in(self, client, programme):
        response = client.get(reverse("plan-home", args=[programme.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_plan_home(client, pmo, programme, django_assert_max_num_queries):
    client.force_login(pmo)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plan-home", args=[programme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for header in HEADERS:
        assert header in html
    assert reverse("plan-template", args=[programme.pk, "xlsx"]) in html


def test_dry_run_then_commit(client, pmo, programme):
    client.force_login(pmo)
    response = upload(client, programme, csv_bytes([row(), row(root_cause_reference="RC-2")]))
    assert response.status_code == 200
    assert response.context["report"].ok
    assert not RootCause.objects.exists()  # the check writes nothing
    html = response.content.decode()
    assert "Root causes to create" in html and "Import plan.csv" in html
    token = response.context["upload"].token
    response = client.post(reverse("plan-commit", args=[programme.pk]), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("finding-list", args=[programme.pk])
    assert RootCause.objects.count() == 2
    assert RootCause.objects.first().history.first().history_user == pmo
    # The file is gone: the same token cannot import twice.
    response = client.post(reverse("plan-commit", args=[programme.pk]), {"token": token})
    assert response.status_code == 302 and response["Location"].endswith("/plan/")
    assert RootCause.objects.count() == 2


def test_dry_run_with_errors_cannot_be_committed(client, pmo, programme):
    client.force_login(pmo)
    response = upload(client, programme, csv_bytes([row(baseline_due_date="31/02/2019")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "row 2, baseline due date: &#x27;31/02/2019&#x27; is not a date" in html
    assert "There is a problem in this file" in html
    assert response.context["upload"] is None
    assert 'name="token"' not in html
    assert "Error: Check of plan.csv" in html


def test_text_that_looks_like_markup_or_formulas_is_shown_escaped(client, pmo, programme):
    client.force_login(pmo)
    response = upload(
        client, programme, csv_bytes([row(isg="<script>alert(1)</script>=cmd")]), create_isgs="on"
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_token_from_another_session_or_programme_is_refused(client, pmo, programme, outsider):
    client.force_login(pmo)
    response = upload(client, programme, csv_bytes([row()]))
    token = response.context["upload"].token
    client.logout()
    client.force_login(pmo)  # a new session does not know the token
    response = client.post(reverse("plan-commit", args=[programme.pk]), {"token": token})
    assert response.status_code == 302
    assert not RootCause.objects.exists()


def test_commit_checks_again_and_refuses_if_the_plan_changed(client, pmo, programme, isg):
    client.force_login(pmo)
    response = upload(client, programme, csv_bytes([row(isg="Workforce")]), create_isgs="on")
    token = response.context["upload"].token
    # Meanwhile someone else imported a root cause with the same reference and another baseline.
    from qip.plan_import.engine import import_file
    from qip.plan_import.report import Options

    import_file(
        programme=programme,
        name="other.csv",
        stream=io.BytesIO(csv_bytes([row(isg="Workforce", baseline_due_date="01/06/2019")])),
        options=Options(create_isgs=True),
        by=pmo,
    )
    response = client.post(reverse("plan-commit", args=[programme.pk]), {"token": token})
    assert response.status_code == 409
    assert "moves only by change control" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "plan.xlsx", "it looks like a PNG image"),
        (b"", "plan.csv", "The file is empty"),
        (b"Name,Ward\nA,B\n", "plan.csv", "No row of column names was found"),
    ],
)
def test_a_bad_file_is_an_error_on_the_upload_form(client, pmo, programme, content, name, message):
    client.force_login(pmo)
    response = upload(client, programme, content, name=name)
    assert response.status_code == 400
    assert message in response.context["form"].errors["file"][0]
    assert "There is a problem" in response.content.decode()


def test_no_file_chosen(client, pmo, programme):
    client.force_login(pmo)
    response = client.post(reverse("plan-import", args=[programme.pk]), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Choose the plan file to upload"]


def test_a_file_over_ten_megabytes(client, pmo, programme):
    client.force_login(pmo)
    response = upload(client, programme, b"x" * (10 * 1024 * 1024 + 10))
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.context["form"].errors["file"][0]


def test_template_downloads(client, pmo, programme):
    client.force_login(pmo)
    response = client.get(reverse("plan-template", args=[programme.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="qip-plan-template.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Plan"][1]] == HEADERS
    response = client.get(reverse("plan-template", args=[programme.pk, "csv"]))
    assert response.content.decode("utf-8-sig").startswith("ISG,Finding reference")
    assert client.get(f"/programmes/{programme.pk}/plan/template.pdf").status_code == 404


def test_export_downloads_the_plan(
    client, pmo, programme, root_cause, django_assert_max_num_queries
):
    client.force_login(pmo)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plan-export", args=[programme.pk, "csv"]))
    assert response.status_code == 200
    assert root_cause.reference in response.content.decode("utf-8-sig")


def test_stale_uploads_are_discarded(client, pmo, programme):
    import datetime as dt
    import os

    from django.core.files.storage import storages

    from qip.tasks import discard_stale_plan_uploads

    client.force_login(pmo)
    pending = upload(client, programme, csv_bytes([row()])).context["upload"]
    storage = storages["private"]
    assert discard_stale_plan_uploads() == 0
    old = (dt.datetime.now() - dt.timedelta(days=2)).timestamp()
    os.utime(storage.path(pending.path), (old, old))
    assert discard_stale_plan_uploads() == 1
    assert not storage.exists(pending.path)
