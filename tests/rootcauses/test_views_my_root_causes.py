"""My root causes: the owner's list, its counts, filters, sorting and query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rootcauses import services
from tests.factories import EvidenceFileFactory, FindingFactory, RootCauseFactory

pytestmark = pytest.mark.django_db
URL = reverse("my-root-causes")


def text(response) -> str:
    """The page's words, without tags and with spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def caseload(root_cause, owner, finding, current_sprint, chair):
    """The owner's mix: one due, one posted, one overdue, one complete, one awaiting the chair."""
    posted = RootCauseFactory(finding=finding, owner=owner, reference="WC-MD-07 RC4")
    services.update_post(
        by=owner, root_cause=posted, period=current_sprint, rag="at_risk", narrative="Slow."
    )
    overdue = RootCauseFactory(
        finding=finding,
        owner=owner,
        reference="WC-MD-07 RC5",
        baseline_due_date=dt.date(2024, 2, 1),
    )
    complete = RootCauseFactory(finding=finding, owner=owner, reference="WC-MD-07 RC6")
    request = services.closure_request(by=owner, root_cause=complete, note="Done.")
    services.closure_confirm(by=chair, closure=request, on=dt.date(2024, 2, 14))
    waiting = RootCauseFactory(finding=finding, owner=owner, reference="WC-MD-07 RC7")
    services.closure_request(by=owner, root_cause=waiting, note="Done, audit attached.")
    EvidenceFileFactory(root_cause=posted, review_by=dt.date(2024, 2, 1))
    return {
        "due": root_cause,
        "posted": posted,
        "overdue": overdue,
        "complete": complete,
        "waiting": waiting,
    }


def test_an_owner_sees_their_root_causes_and_what_is_due(
    client_for, owner, caseload, other_root_cause
):
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    page = text(response)
    for rc in caseload.values():
        assert rc.reference in page
    assert other_root_cause.reference not in page
    # Counts at the top: due, overdue, waiting, evidence to review.
    # Due: the root cause with no update, the overdue one and the one awaiting the chair.
    assert "3 updates due by Sunday 25 February" in page
    assert "1 overdue" in page
    assert "1 waiting for the chair" in page
    assert "1 evidence files to review" in page
    assert "Showing 5 of your 5 root causes." in page


def test_each_row_shows_dates_status_and_this_period(client_for, owner, caseload):
    response = client_for(owner).get(URL)
    html = response.content.decode()

    def row(rc):
        match = re.search(rf'<tr id="rc-{rc.pk}">(.*?)</tr>', html, flags=re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))

    assert "Due by Sun 25 Feb" in row(caseload["due"])
    assert "15 Mar 2024" in row(caseload["due"])  # baseline and current due dates
    assert "Posted for Sprint 4" in row(caseload["posted"])
    assert "At risk" in row(caseload["posted"])
    assert "1 evidence file to review" in row(caseload["posted"])
    assert "Overdue since 1 Feb" in row(caseload["overdue"])
    assert "Complete" in row(caseload["complete"])
    assert "Not needed" in row(caseload["complete"])
    assert "Waiting for the chair" in row(caseload["waiting"])


def test_open_root_causes_come_first_soonest_due(client_for, owner, caseload):
    html = client_for(owner).get(URL).content.decode()
    order = [int(pk) for pk in re.findall(r'<tr id="rc-(\d+)">', html)]
    assert order[0] == caseload["overdue"].pk
    assert order[-1] == caseload["complete"].pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "update_due"}, {"due", "overdue", "waiting"}),
        ({"state": "overdue"}, {"overdue"}),
        ({"state": "waiting"}, {"waiting"}),
        ({"state": "complete"}, {"complete"}),
        ({"state": "evidence_review"}, {"posted"}),
        ({"state": "open"}, {"due", "posted", "overdue", "waiting"}),
        ({"q": "rc4"}, {"posted"}),
        ({"kind": "SHOULD_DO"}, set()),
        ({"state": "nonsense"}, {"due", "posted", "overdue", "complete", "waiting"}),
    ],
)
def test_filters(client_for, owner, caseload, query, expected):
    html = client_for(owner).get(URL, query).content.decode()
    shown = {int(pk) for pk in re.findall(r'<tr id="rc-(\d+)">', html)}
    assert shown == {caseload[name].pk for name in expected}


def test_an_unknown_filter_value_is_reported_not_a_crash(client_for, owner, caseload):
    response = client_for(owner).get(URL, {"state": "nonsense", "isg": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_sorting_by_reference_descending(client_for, owner, caseload):
    html = client_for(owner).get(URL, {"sort": "-reference"}).content.decode()
    order = [int(pk) for pk in re.findall(r'<tr id="rc-(\d+)">', html)]
    refs = sorted(((rc.reference, rc.pk) for rc in caseload.values()), reverse=True)
    assert order == [pk for _, pk in refs]


def test_someone_who_owns_nothing_sees_an_empty_list(client_for, partner, caseload):
    response = client_for(partner).get(URL)
    assert response.status_code == 200
    assert "You do not own any root causes yet" in text(response)
    assert caseload["due"].reference not in text(response)


def test_signed_out_people_are_sent_to_sign_in(client_for, caseload):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_list(
    client_for, owner, caseload, isg, django_assert_max_num_queries
):
    client = client_for(owner)
    client.get(URL)  # warm the session
    few = _queries(client)
    for n in range(15):
        finding = FindingFactory(isg=isg, programme=isg.programme, reference=f"WC-SD-{n:02d}")
        RootCauseFactory(finding=finding, owner=owner)
    assert _queries(client) == few
    with django_assert_max_num_queries(15):
        client.get(URL)
