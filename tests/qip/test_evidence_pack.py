"""The evidence pack: every closed root cause's closure evidence, in folders by key question
and key line of enquiry, with an index spreadsheet; PMO and executives only."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qip.boardpapers import evidence_pack
from tests.responses import close as close_response

from . import boardpaper_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(settings):
    settings.QIP_TODAY = boardpaper_world.TODAY.isoformat()
    return boardpaper_world.TODAY


@pytest.fixture
def world(programme, isg, other_isg, owner, chair):
    return boardpaper_world.build(programme, isg, other_isg, owner, chair)


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    close_response(response)
    return zipfile.ZipFile(io.BytesIO(data))


def test_files_are_filed_by_key_question_and_key_line_of_enquiry(client, pmo, world, programme):
    client.force_login(pmo)
    pack = _zip(client.get(reverse("evidence-pack", args=[programme.pk])))
    names = set(pack.namelist())
    # SC-MD-01 RC1 has its own key line of enquiry (W3, under Well-led).
    assert any(
        n.startswith("5. Well-led/W3 ") and n.endswith("SC-MD-01 RC1/Board minutes.pdf")
        for n in names
    ), names
    # WC-MD-01 RC1 has none: its finding's first key question, and the "none recorded" folder.
    assert "1. Safe/No key line of enquiry recorded/WC-MD-01 RC1/Escalation audit.pdf" in names
    # Evidence uploaded with an update is not closure evidence; open root causes are not here.
    assert not any("Draft policy" in n for n in names)
    assert not any("RC5" in n or "RC6" in n for n in names)
    assert {"index.xlsx", "README.txt"} <= names
    with pack.open(
        "1. Safe/No key line of enquiry recorded/WC-MD-01 RC1/Escalation audit.pdf"
    ) as handle:
        assert handle.read().startswith(b"%PDF")


def test_the_index_lists_each_file_and_each_closed_root_cause_without_evidence(
    client, executive, world, programme
):
    client.force_login(executive)
    pack = _zip(client.get(reverse("evidence-pack", args=[programme.pk])))
    sheet = load_workbook(io.BytesIO(pack.read("index.xlsx")))["Index"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == [
        "Key question",
        "Key line of enquiry",
        "All key questions of the finding",
        "Finding",
    ]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    by_rc = {}
    for row in rows:
        by_rc.setdefault(row["Root cause"], []).append(row)
    assert set(by_rc) == {
        "WC-MD-01 RC1",
        "WC-MD-01 RC2",
        "WC-MD-01 RC3",
        "WC-MD-01 RC4",
        "WC-SD-01 RC1",
        "SC-MD-01 RC1",
        "SC-MD-01 RC2",
    }
    audit = by_rc["WC-MD-01 RC1"][0]
    assert audit["File"] == "Escalation audit.pdf"
    assert audit["Owner"] == "Amara Okafor"
    assert audit["Confirmed by"] == "Helen Carter"
    assert audit["Closed on"].date().isoformat() == "2024-01-10"
    assert (
        audit["Where in this pack"]
        == "1. Safe/No key line of enquiry recorded/WC-MD-01 RC1/Escalation audit.pdf"
    )
    minutes = by_rc["SC-MD-01 RC1"][0]
    assert minutes["Key question"] == "Well-led"
    assert minutes["Key line of enquiry"].startswith("W3: ")
    assert minutes["All key questions of the finding"] == "Safe, Well-led"
    assert by_rc["WC-MD-01 RC2"][0]["File"] == "No closure evidence uploaded"


def test_a_pack_for_one_isg_holds_only_its_root_causes(client, pmo, world, programme, other_isg):
    client.force_login(pmo)
    pack = _zip(client.get(reverse("evidence-pack", args=[programme.pk]), {"isg": other_isg.pk}))
    files = [n for n in pack.namelist() if n not in ("index.xlsx", "README.txt")]
    assert files and all("SC-MD-01" in n for n in files)


def test_an_unknown_isg_is_404(client, pmo, world, programme):
    client.force_login(pmo)
    url = reverse("evidence-pack", args=[programme.pk])
    assert client.get(url, {"isg": "99999"}).status_code == 404
    assert client.get(url, {"isg": "abc"}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"), [("partner", 403), ("owner", 403), ("chair", 403), ("outsider", 404)]
)
def test_partners_and_others_never_get_the_pack(
    client, request, world, programme, partner, outsider, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("evidence-pack", args=[programme.pk]))
    close_response(response)
    assert response.status_code == status


def test_folder_names_are_safe_on_every_system():
    name = evidence_pack.safe_name('W3: Is there a culture? <yes>/"no"')
    assert name == "W3- Is there a culture- -yes-no-"
    assert not set(name) & set('<>:"/\\|?*')
    assert evidence_pack.safe_name("...") == "unnamed"
    assert len(evidence_pack.safe_name("x" * 300)) == 80


def test_two_files_with_one_name_are_both_kept(world, programme, today):
    from tests.factories import EvidenceFileFactory

    rc = world["root_causes"]["rc1"]
    EvidenceFileFactory(
        root_cause=rc, closure_request=rc.closure, original_name="Escalation audit.pdf"
    )
    handle, _name = evidence_pack.build(programme, today=today)
    with handle:
        names = zipfile.ZipFile(handle).namelist()
    folder = "1. Safe/No key line of enquiry recorded/WC-MD-01 RC1/"
    assert folder + "Escalation audit.pdf" in names
    assert folder + "Escalation audit (2).pdf" in names
