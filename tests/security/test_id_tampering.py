"""Id tampering: a valid request for an object that is not yours is refused and changes nothing.

Each case is a real form, filled in the way its rightful user fills it (read from the page
they see, then a field changed), sent to the URL of an object that belongs to somebody else:
another owner's root cause, another ISG's closure, another trust's programme. The attacker gets
404 (they may not know it exists) or 403 (they may see it but not do this), and every row of
every domain table, and every stored file, is as it was. The same request by the rightful user
does change data, which proves the body was valid and the refusal is the permission check.

Body-level swaps (an id inside the form: another root cause's evidence or action, another
programme's theme, ISG, period or person) are refused by the forms and services the same way.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from kpis import csv_import
from qip.models import PeriodSignoff
from rootcauses.models import RootCause
from tests.factories.rootcauses import pdf_bytes
from tests.responses import close as close_response

from . import fingerprint

pytestmark = pytest.mark.django_db

OK = "ok"  # a refusal that is not a permission error: a form error or a no-op redirect


@dataclass
class Case:
    id: str
    url: Callable  # world -> path of the victim object
    rightful: str | None  # whose identical request changes data (None: no control run)
    attackers: dict  # persona -> expected status
    data: Callable = lambda w: {}  # world -> fields set by hand, called afresh for each request
    form: bool = True  # start from the rightful user's own form on the page
    form_url: Callable | None = None  # the page holding the form, if not `url`
    method: str = "POST"


def pdf(name="Tampered audit.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def csv_body(w):
    text = "period,value\n2024-02-25,91\n"
    return {"csv_text": text, "digest": csv_import.plan_csv(w.kpi, text).digest}


ROOT_CAUSE_READERS = {"partner": 403, "executive": 403}
# A board paper: executives read it (403 on the PMO's actions); nobody else learns it exists.
PAPER_OUTSIDERS = {"chair": 404, "owner": 404, "partner": 404, "outsider": 404}
PAPER_READERS = {**PAPER_OUTSIDERS, "executive": 403}
STRANGERS = {"other_owner": 404, "other_chair": 404, "outsider": 404}
ENGAGEMENT_READERS = {"outsider": 404, "partner": 403, "owner": 403, "executive": 403}

CASES = [
    # The owner's actions, on the owner's root cause in ISG A
    Case(
        "post-update",
        lambda w: f"/rootcauses/{w.root_cause.pk}/update/",
        "owner",
        {**STRANGERS, **ROOT_CAUSE_READERS, "acc_exec": 403},
        data=lambda w: {"rag": "on_track", "narrative": "Tampered: all fine now."},
    ),
    Case(
        "request-closure",
        lambda w: f"/rootcauses/{w.root_cause.pk}/closure/",
        "owner",
        {**STRANGERS, **ROOT_CAUSE_READERS, "chair": 403},
        data=lambda w: {"note": "Tampered closure.", "evidence_files": [str(w.evidence.pk)]},
    ),
    Case(
        "upload-evidence",
        lambda w: f"/rootcauses/{w.root_cause.pk}/evidence/add/",
        "owner",
        {**STRANGERS, **ROOT_CAUSE_READERS},
        data=lambda w: {
            "evidence_file": pdf(),
            "evidence_description": "Tampered evidence",
            "evidence_effective_from": "2024-02-19",
        },
    ),
    Case(
        "download-evidence",
        lambda w: f"/evidence/{w.evidence.pk}/",
        None,  # a download changes nothing: the test checks the file is not in the answer
        {**STRANGERS, "partner": 403, "engagement_lead": 403},
        form=False,
        method="GET",
    ),
    Case(
        "review-evidence",
        lambda w: f"/evidence/{w.evidence.pk}/review/",
        "owner",
        {**STRANGERS, **ROOT_CAUSE_READERS},
        data=lambda w: {"review_by": "2024-06-30"},
        form=False,
    ),
    Case(
        "propose-change",
        lambda w: f"/changes/new/{w.root_cause.pk}/",
        "owner",
        {**STRANGERS, **ROOT_CAUSE_READERS},
        data=lambda w: {"kind": "withdraw", "rationale": "Tampered: no longer needed."},
    ),
    # The chair's decisions on ISG A's root causes
    Case(
        "confirm-closure",
        lambda w: f"/closures/{w.closure.pk}/confirm/",
        "chair",
        {**STRANGERS, "owner": 403, "pmo": 403, "executive": 403},
        form=False,
    ),
    Case(
        "reject-closure",
        lambda w: f"/closures/{w.closure.pk}/reject/",
        "chair",
        {**STRANGERS, "owner": 403, "pmo": 403, "executive": 403},
        data=lambda w: {"reason": "Tampered: not yet."},
        form=False,
    ),
    Case(
        "verify-closure",
        lambda w: f"/closures/verify/{w.rc_closed.pk}/",
        "chair",
        {**STRANGERS, "owner": 403, "partner": 403, "acc_exec": 403},
        data=lambda w: {
            "method": "peer_review",
            "checked_by": "Tampered peer review",
            "checked_on": "2024-02-19",
            "findings": "Tampered.",
            "outcome": "verified",
        },
    ),
    Case(
        "raise-escalation",
        lambda w: f"/escalations/new/{w.rc_closing.pk}/",
        "chair",
        {**STRANGERS, "owner": 403, "partner": 403, "executive": 403},
        data=lambda w: {"reason": "Tampered escalation."},
    ),
    Case(
        "sign-off-sprint",
        lambda w: f"/isgs/{w.isg.pk}/periods/{w.sprint.pk}/sign-off/",
        "chair",
        {"other_chair": 403, "owner": 403, "pmo": 403, "outsider": 404},
        data=lambda w: {"note": "Tampered sign-off."},
        form=False,
    ),
    Case(
        "set-root-cause-theme",
        lambda w: f"/themes/root-causes/{w.root_cause.pk}/",
        "pmo",
        {**STRANGERS, "chair": 403, "owner": 403, "executive": 403},
        data=lambda w: {"delivered_by": "Tampered estates team"},
    ),
    # The executives' decisions at the ECIB
    Case(
        "decide-change",
        lambda w: f"/changes/{w.change.pk}/decide/",
        "executive",
        {**STRANGERS, "pmo": 403, "chair": 403, "owner": 403},
        data=lambda w: {f"change-{w.change.pk}-decision": "approve"},
        form=False,
    ),
    Case(
        "decide-escalation",
        lambda w: f"/escalations/{w.escalation.pk}/decide/",
        "executive",
        {**STRANGERS, "other_chair": 403, "owner": 404, "partner": 404, "pmo": 403, "chair": 403},
        data=lambda w: {
            f"escalation-{w.escalation.pk}-decision": "accept",
            f"escalation-{w.escalation.pk}-note": "Tampered decision.",
        },
    ),
    # KPI values
    Case(
        "record-measurement",
        lambda w: f"/kpis/{w.kpi.pk}/values/new/",
        "owner",
        {"other_owner": 403, "other_chair": 403, "outsider": 404, **ROOT_CAUSE_READERS},
        data=lambda w: {"period_end": "25/02/2024", "value": "91"},
    ),
    Case(
        "upload-kpi-values",
        lambda w: f"/kpis/{w.kpi.pk}/values/upload/",
        "owner",
        {"other_owner": 403, "other_chair": 403, "outsider": 404, **ROOT_CAUSE_READERS},
        data=csv_body,
        form=False,
    ),
    Case(
        "kpi-grid",
        lambda w: f"/isgs/{w.isg.pk}/kpis/values/",
        "chair",
        {"other_chair": 403, "owner": 403, "outsider": 404, "partner": 403},
        data=lambda w: {f"v_{w.high_kpi.pk}_20240225": "99"},
    ),
    # Programme-level pages of the PMO and the Well-led ISG
    Case(
        "well-led-report",
        lambda w: f"/isgs/{w.wellled_isg.pk}/well-led/{w.month.pk}/{w.kloe_item.pk}/",
        "other_chair",
        {"chair": 403, "owner": 403, "executive": 403, "outsider": 404},
        data=lambda w: {"future_plans": "Tampered plans."},
    ),
    Case(
        "edit-theme",
        lambda w: f"/themes/{w.theme.pk}/edit/",
        "pmo",
        {"outsider": 404, "chair": 403, "executive": 403, "engagement_lead": 403},
        data=lambda w: {"description": "Tampered description."},
    ),
    Case(
        "add-ecib-meeting",
        lambda w: f"/programmes/{w.programme.pk}/governance/",
        "pmo",
        {"outsider": 404, "executive": 403, "chair": 403},
        data=lambda w: {"action": "meeting", "meets_on": "2024-03-21"},
        form=False,
    ),
    Case(
        "run-escalation-rules",
        lambda w: f"/programmes/{w.programme.pk}/ecib/check-rules/",
        "pmo",
        {"outsider": 404, "executive": 403, "chair": 403},
        form=False,
    ),
    # Engagement records: the PMO and engagement leads write them
    Case(
        "edit-champion",
        lambda w: f"/engagement/champions/{w.champion.pk}/edit/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"job_title": "Tampered title"},
    ),
    Case(
        "add-champion",
        lambda w: f"/programmes/{w.programme.pk}/engagement/champions/add/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {
            "name": "Tampered Person",
            "job_title": "Staff nurse",
            "volunteered_on": "2024-02-01",
        },
    ),
    Case(
        "edit-activity",
        lambda w: f"/engagement/activities/{w.activity.pk}/edit/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"outcome": "Tampered outcome."},
    ),
    Case(
        "edit-partner-meeting",
        lambda w: f"/engagement/meetings/{w.partner_meeting.pk}/edit/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"progress_shared": "Tampered progress."},
    ),
    Case(
        "add-meeting-feedback",
        lambda w: f"/engagement/meetings/{w.partner_meeting.pk}/feedback/add/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {
            "source": "partner",
            "received_on": "2024-02-12",
            "topic": "Tampered topic",
            "quote": "Tampered words.",
            "sentiment": "positive",
        },
    ),
    Case(
        "edit-feedback",
        lambda w: f"/engagement/feedback/{w.feedback.pk}/edit/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"topic": "Tampered topic"},
    ),
    Case(
        "respond-to-feedback",
        lambda w: f"/engagement/feedback/{w.feedback.pk}/respond/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"response": "Tampered response."},
    ),
    Case(
        "add-feedback",
        lambda w: f"/programmes/{w.programme.pk}/engagement/feedback/add/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {
            "source": "patient",
            "received_on": "2024-02-12",
            "topic": "Tampered topic",
            "quote": "Tampered words.",
            "sentiment": "negative",
        },
    ),
    Case(
        "edit-story",
        lambda w: f"/engagement/stories/{w.story.pk}/edit/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"title": "Tampered story"},
    ),
    Case(
        "withdraw-story",
        lambda w: f"/engagement/stories/{w.story.pk}/decide/",
        "pmo",
        ENGAGEMENT_READERS,
        data=lambda w: {"action": "withdraw"},
        form=False,
    ),
    Case(
        "public-page-settings",
        lambda w: f"/programmes/{w.programme.pk}/engagement/public-page/",
        "pmo",
        {**ENGAGEMENT_READERS, "engagement_lead": 403},
        data=lambda w: {"publish": "", "introduction": "Tampered."},
    ),
    Case(
        "record-survey-result",
        lambda w: f"/programmes/{w.programme.pk}/engagement/surveys/record/",
        "engagement_lead",
        ENGAGEMENT_READERS,
        data=lambda w: {"kpi": str(w.high_kpi.pk), "period_end": "2024-02-15", "value": "61.5"},
    ),
    # The PMO's board paper (issue 9)
    Case(
        "edit-board-paper-cover",
        lambda w: f"/board-papers/{w.board_paper.pk}/cover/",
        "pmo",
        PAPER_READERS,
        data=lambda w: {"title": "Tampered title"},
    ),
    Case(
        "edit-board-paper-narrative",
        lambda w: f"/board-papers/{w.board_paper.pk}/sections/background/",
        "pmo",
        PAPER_READERS,
        data=lambda w: {"text": "Tampered narrative."},
    ),
    Case(
        "export-board-paper",
        lambda w: f"/board-papers/{w.board_paper.pk}/export/",
        "pmo",
        PAPER_READERS,
        data=lambda w: {"format": "docx"},
        form=False,
    ),
    # The month has not ended (today is 20 February), so even the PMO cannot issue it yet:
    # no control run; the attackers' exact 403/404 is the permission check.
    Case(
        "issue-board-paper",
        lambda w: f"/board-papers/{w.board_paper.pk}/issue/",
        None,
        PAPER_READERS,
        form_url=lambda w: f"/board-papers/{w.board_paper.pk}/issue/",
        data=lambda w: {"version": str(w.board_paper.version)},
        form=False,
    ),
    Case(
        "delete-board-paper",
        lambda w: f"/board-papers/{w.board_paper.pk}/delete/",
        "pmo",
        PAPER_READERS,
        form=False,
    ),
    Case(
        "download-board-paper",
        lambda w: f"/board-paper-files/{w.board_paper_file.pk}/download/",
        None,
        PAPER_OUTSIDERS,
        form=False,
        method="GET",
    ),
    Case(
        "another-trusts-board-paper",
        lambda w: f"/board-papers/{w.q_board_paper.pk}/cover/",
        None,
        {"pmo": 404, "executive": 404},
        data=lambda w: {"title": "Tampered title"},
        form=False,
    ),
]

# An id inside the body swapped for one from elsewhere: refused by the form or the service.
BODY_SWAPS = [
    Case(
        "closure-cites-another-root-causes-evidence",
        lambda w: f"/rootcauses/{w.root_cause.pk}/closure/",
        None,
        {"owner": OK},
        data=lambda w: {"note": "Closure.", "evidence_files": [str(w.other_evidence.pk)]},
    ),
    Case(
        "update-ticks-another-root-causes-action",
        lambda w: f"/rootcauses/{w.root_cause.pk}/update/",
        None,
        {"owner": OK},
        data=lambda w: {"narrative": "Done.", "actions_done": [str(w.other_action.pk)]},
    ),
    Case(
        "change-moves-root-cause-to-another-programmes-isg",
        lambda w: f"/changes/new/{w.root_cause.pk}/",
        None,
        {"owner": OK},
        data=lambda w: {"kind": "change_isg", "proposed_isg": str(w.q_isg.pk), "rationale": "x"},
    ),
    Case(
        "change-gives-root-cause-to-another-trusts-person",
        lambda w: f"/changes/new/{w.root_cause.pk}/",
        None,
        {"owner": OK},
        data=lambda w: {
            "kind": "change_owner",
            "proposed_owner": str(w.outsider.pk),
            "rationale": "x",
        },
    ),
    Case(
        "theme-from-another-programme",
        lambda w: f"/themes/root-causes/{w.root_cause.pk}/",
        None,
        {"pmo": OK},
        data=lambda w: {"theme": str(w.q_theme.pk)},
    ),
    Case(
        "theme-led-by-another-trusts-person",
        lambda w: f"/themes/{w.theme.pk}/edit/",
        None,
        {"pmo": OK},
        data=lambda w: {"lead": str(w.outsider.pk)},
    ),
    Case(
        "sign-off-another-programmes-period",
        lambda w: f"/isgs/{w.isg.pk}/periods/{w.q_sprint.pk}/sign-off/",
        None,
        {"chair": 404},
        form=False,
    ),
    Case(
        "kpi-grid-cell-of-another-isgs-kpi",
        lambda w: f"/isgs/{w.other_isg.pk}/kpis/values/",
        None,
        {"other_chair": OK},
        data=lambda w: {f"v_{w.high_kpi.pk}_20240225": "99"},
        form=False,
    ),
    Case(
        "story-cites-another-programmes-feedback",
        lambda w: f"/programmes/{w.programme.pk}/engagement/stories/add/",
        None,
        {"engagement_lead": OK},
        data=lambda w: {
            "title": "Story",
            "concern": "Waiting",
            "change": "hired nurses",
            "feedback": [str(w.q_feedback.pk)],
        },
    ),
    Case(
        "survey-result-for-another-programmes-kpi",
        lambda w: f"/programmes/{w.programme.pk}/engagement/surveys/record/",
        None,
        {"engagement_lead": OK},
        data=lambda w: {
            "kpi": str(w.q_root_cause.kpi.pk),
            "period_end": "2024-02-15",
            "value": "61.5",
        },
    ),
]


# ---------------------------------------------------------------------------------------------


def _form_values(client: Client, url: str) -> dict:
    """The fields of the page's form that posts to `url`, as the browser would send them."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    page = lxml.html.fromstring(response.content.decode())
    forms = [
        form
        for form in page.forms
        if (form.method or "GET").upper() == "POST" and form.get("action", "") in ("", url)
    ]
    assert forms, f"{url} has no form that posts to itself"
    values: dict = {}
    for name, value in forms[0].form_values():
        values.setdefault(name, []).append(value)
    files = {i.name for i in forms[0].inputs if getattr(i, "type", None) == "file"}
    return {k: v if len(v) > 1 else v[0] for k, v in values.items() if k not in files}


def _body(case: Case, world, clients) -> dict:
    body = {}
    if case.form:
        with transaction.atomic():
            form_url = (case.form_url or case.url)(world)
            body = _form_values(clients(case.rightful or next(iter(case.attackers))), form_url)
            transaction.set_rollback(True)
    body.update(case.data(world))
    return body


def _files(folder) -> list[str]:
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder) for name in names)


def _send(client: Client, case: Case, path: str, body: dict):
    if case.method == "GET":
        return client.get(path)
    return client.post(path, body)


def _attempt(case: Case, world, clients, persona, private_folder):
    """Send the case as `persona` inside a savepoint; return the answer and what changed."""
    body = _body(case, world, clients)
    path = case.url(world)
    with transaction.atomic():
        before, files_before = fingerprint.rows(), _files(private_folder)
        response = _send(clients(persona), case, path, body)
        content = b"".join(response) if response.streaming else response.content
        close_response(response)
        changed = fingerprint.rows_changed(before, fingerprint.rows())
        if _files(private_folder) != files_before:
            changed.append("files in the private storage")
        transaction.set_rollback(True)
    return response, content, changed


ATTACKS = [
    pytest.param(case, persona, id=f"{case.id}-by-{persona}")
    for case in CASES + BODY_SWAPS
    for persona in case.attackers
]


@pytest.mark.parametrize(("case", "persona"), ATTACKS)
def test_a_swapped_id_is_refused_and_changes_nothing(world, clients, private_folder, case, persona):
    response, content, changed = _attempt(case, world, clients, persona, private_folder)
    expected = case.attackers[persona]
    where = f"{case.method} {case.url(world)} as {persona}"
    if expected == OK:
        assert response.status_code < 500, f"{where}: {response.status_code}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"
    assert changed == [], f"{where} changed data: {changed}"
    if case.id == "download-evidence":
        assert pdf_bytes("Audit of escalation calls")[:200] not in content


@pytest.mark.parametrize("case", [c for c in CASES if c.rightful], ids=lambda c: c.id)
def test_the_same_request_by_its_rightful_user_changes_data(world, clients, private_folder, case):
    """The control: the body is valid, so a refusal above is the permission check."""
    response, _, changed = _attempt(case, world, clients, case.rightful, private_folder)
    assert response.status_code in (200, 302), response.status_code
    assert changed, f"{case.method} {case.url(world)} as {case.rightful} changed nothing"


def test_the_rightful_owner_can_download_the_evidence(world, clients, private_folder):
    case = next(c for c in CASES if c.id == "download-evidence")
    response, content, changed = _attempt(case, world, clients, "owner", private_folder)
    assert response.status_code == 200
    assert content.startswith(b"%PDF")
    assert changed == []


def test_a_chair_cannot_sign_off_another_programmes_period_even_for_their_own_isg(world, clients):
    response = clients("chair").post(f"/isgs/{world.isg.pk}/periods/{world.q_sprint.pk}/sign-off/")
    assert response.status_code == 404
    assert not PeriodSignoff.objects.filter(period=world.q_sprint).exists()


def test_a_root_cause_moved_by_change_control_stays_in_its_programme(world):
    """The service refuses another programme's ISG even if a form let it through."""
    from django.core.exceptions import ValidationError

    from governance.services import change_request_propose

    with pytest.raises(ValidationError):
        change_request_propose(
            by=world.owner,
            root_cause=world.root_cause,
            kind="change_isg",
            rationale="x",
            proposed_isg=world.q_isg,
        )
    assert RootCause.objects.get(pk=world.root_cause.pk).isg_id == world.isg.pk


# The URLs that change data on POST. Each has a tampering case above, or a reason here.
ACTIONS = {
    "rootcause-update", "rootcause-closure-request", "rootcause-evidence-add",
    "evidence-download", "evidence-review", "change-propose", "closure-confirm",
    "closure-reject", "verification-record", "escalation-raise", "sprint-sign-off",
    "rootcause-theme", "change-decide", "escalation-decide", "kpi-record", "kpi-upload",
    "isg-kpi-grid", "wellled-edit", "theme-edit", "governance-settings",
    "escalations-evaluate", "engagement-champion-edit", "engagement-champion-add",
    "engagement-activity-edit", "engagement-meeting-edit", "engagement-meeting-feedback-add",
    "engagement-feedback-edit", "engagement-feedback-respond", "engagement-feedback-add",
    "engagement-story-edit", "engagement-story-decide", "engagement-public-settings",
    "engagement-survey-record",
}  # fmt: skip
ELSEWHERE = {
    "plan-import": "test_plan_import_of_another_programme_is_refused below",
    "plan-commit": "test_plan_import_of_another_programme_is_refused below",
    "engagement-activity-add": "the same view and check as engagement-champion-add",
    "engagement-meeting-add": "the same view and check as engagement-champion-add",
    "engagement-story-add": "story-cites-another-programmes-feedback, and the matrix",
    "api-token": "acts on the signed-in person's own token only: no id to swap",
}


def test_every_action_has_a_tampering_case():
    from django.urls import resolve

    from . import expectations

    covered = {resolve(case.url(_Ids())).url_name for case in CASES + BODY_SWAPS}
    assert covered >= ACTIONS, sorted(ACTIONS - covered)
    assert (ACTIONS | set(ELSEWHERE)) <= set(expectations.TABLE)


class _Ids:
    """Stands in for the world when only the shape of a case's URL matters."""

    def __getattr__(self, name):
        return type("Obj", (), {"pk": 1})()


def test_plan_import_of_another_programme_is_refused(world, clients, private_folder):
    """The PMO of P checks a plan file; nobody else can commit it, in P or in their own
    programme; the outsider (PMO of Q) cannot even check a file against P. The PMO can."""
    import re

    from qip.plan_import import export

    programme = world.programme
    text = export.export_plan(programme, "csv").decode("utf-8-sig")
    assert world.root_cause.title in text
    changed_text = text.replace(world.root_cause.title, "Midwife escalation (reworded)")

    def upload():
        return SimpleUploadedFile("plan.csv", changed_text.encode(), content_type="text/csv")

    check_p = f"/programmes/{programme.pk}/plan/check/"
    commit_p = f"/programmes/{programme.pk}/plan/import/"
    commit_q = f"/programmes/{world.other_programme.pk}/plan/import/"
    with transaction.atomic():
        before, files = fingerprint.rows(), _files(private_folder)
        refused = clients("outsider").post(check_p, {"file": upload()})
        assert refused.status_code == 404
        assert _files(private_folder) == files

        pmo = clients("pmo")
        checked = pmo.post(check_p, {"file": upload()})
        assert checked.status_code == 200, checked.content.decode()[:2000]
        page = checked.content.decode()
        match = re.search(r'name="token" value="([^"]+)"', page)
        assert match, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))[:3000]
        token = match[1]

        assert clients("outsider").post(commit_p, {"token": token}).status_code == 404
        assert clients("outsider").post(commit_q, {"token": token}).status_code == 302
        assert clients("chair").post(commit_p, {"token": token}).status_code == 403
        assert clients("executive").post(commit_p, {"token": token}).status_code == 403
        assert fingerprint.rows_changed(before, fingerprint.rows()) == []

        assert pmo.post(commit_p, {"token": token}).status_code == 302
        assert RootCause.objects.get(pk=world.root_cause.pk).title == (
            "Midwife escalation (reworded)"
        )
        transaction.set_rollback(True)
