"""Every governance and sprint action, by role: who may do it (200/302), who may look but not
act (403), and who may not even know it exists (404). And a walk over every URL of these pages
for someone signed out and for someone from another trust."""

import datetime as dt

import pytest
from django.urls import URLPattern, get_resolver, reverse

from governance.escalations import escalation_raise
from governance.services import change_request_propose
from rootcauses import services as rc_services
from tests.factories import IsgFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "other_owner", "chair", "pmo", "executive", "partner", "outsider"]


@pytest.fixture
def world(programme, isg, root_cause, other_root_cause, chair, pmo, executive, partner, outsider):
    """A closure request, an escalation, a change request, a theme and a Well-led ISG."""
    closure = rc_services.closure_request(by=root_cause.owner, root_cause=root_cause, note="Done.")
    escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    change = change_request_propose(
        by=root_cause.owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 4, 30),
        rationale="Rota.",
    )
    theme = ThemeFactory(reporting_isg=isg)
    well_led = IsgFactory(
        programme=programme, name="Well-led", code="WL", cadence="monthly", structured_by_kloe=True
    )
    sprint = programme.periods.get(cadence="fortnightly", number=4)
    month = programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1))
    return {
        "programme": programme,
        "isg": isg,
        "sprint": sprint,
        "month": month,
        "root_cause": root_cause,
        "closure": closure,
        "escalation": escalation,
        "change": change,
        "theme": theme,
        "well_led": well_led,
    }


def _urls(w):
    p, rc = w["programme"].pk, w["root_cause"].pk
    return {
        "isg-list": ("get", reverse("isg-list", args=[p]), {}),
        "isg-detail": ("get", reverse("isg-detail", args=[w["isg"].pk]), {}),
        "period-detail": ("get", reverse("period-detail", args=[w["sprint"].pk]), {}),
        "sprint-page": ("get", reverse("sprint-page", args=[w["isg"].pk, w["sprint"].pk]), {}),
        "sprint-sign-off": (
            "post",
            reverse("sprint-sign-off", args=[w["isg"].pk, w["sprint"].pk]),
            {"note": ""},
        ),
        "closure-confirm": ("post", reverse("closure-confirm", args=[w["closure"].pk]), {}),
        "closure-reject": ("get", reverse("closure-reject", args=[w["closure"].pk]), {}),
        "verification-record": ("get", reverse("verification-record", args=[rc]), {}),
        "ecib-agenda": ("get", reverse("ecib-agenda", args=[p]), {}),
        "ecib-meeting": ("get", reverse("ecib-meeting", args=[w["escalation"].meeting_id]), {}),
        "escalations-evaluate": ("post", reverse("escalations-evaluate", args=[p]), {}),
        "escalation-raise": ("get", reverse("escalation-raise", args=[rc]), {}),
        "escalation-decide": ("get", reverse("escalation-decide", args=[w["escalation"].pk]), {}),
        "change-log": ("get", reverse("change-log", args=[p]), {}),
        "change-propose": ("get", reverse("change-propose", args=[rc]), {}),
        "change-detail": ("get", reverse("change-detail", args=[w["change"].pk]), {}),
        "change-decide": (
            "post",
            reverse("change-decide", args=[w["change"].pk]),
            {f"change-{w['change'].pk}-decision": "approve"},
        ),
        "governance-settings": ("get", reverse("governance-settings", args=[p]), {}),
        "theme-list": ("get", reverse("theme-list", args=[p]), {}),
        "theme-detail": ("get", reverse("theme-detail", args=[w["theme"].pk]), {}),
        "theme-edit": ("get", reverse("theme-edit", args=[w["theme"].pk]), {}),
        "rootcause-theme": ("get", reverse("rootcause-theme", args=[rc]), {}),
        "wellled-plan": ("get", reverse("wellled-plan", args=[w["well_led"].pk]), {}),
        "wellled-history": ("get", reverse("wellled-history", args=[w["well_led"].pk]), {}),
        "wellled-month": (
            "get",
            reverse("wellled-month", args=[w["well_led"].pk, w["month"].pk]),
            {},
        ),
    }


M, R = 200, 302  # may; redirected after acting
MEMBERS = {"owner": M, "other_owner": M, "chair": M, "pmo": M, "executive": M, "partner": M}
RC_VIEWERS = {"owner": M, "other_owner": 404, "chair": M, "pmo": M, "executive": M, "partner": M}

EXPECTED = {
    "isg-list": MEMBERS,
    "isg-detail": dict.fromkeys(MEMBERS, R),
    "period-detail": MEMBERS,
    "sprint-page": MEMBERS,
    "sprint-sign-off": {**dict.fromkeys(MEMBERS, 403), "chair": R},
    # Nobody confirms their own root cause's closure; only the chair (or a lead) confirms.
    "closure-confirm": {
        **RC_VIEWERS,
        "owner": 403,
        "chair": R,
        "pmo": 403,
        "executive": 403,
        "partner": 403,
    },
    "closure-reject": {**RC_VIEWERS, "owner": 403, "pmo": 403, "executive": 403, "partner": 403},
    "verification-record": {**RC_VIEWERS, "owner": 403, "executive": 403, "partner": 403},
    "ecib-agenda": {**MEMBERS, "owner": 403, "other_owner": 403, "partner": 403},
    "ecib-meeting": {
        "owner": 404,
        "other_owner": 404,
        "chair": M,
        "pmo": M,
        "executive": M,
        "partner": 404,
    },
    "escalations-evaluate": {**dict.fromkeys(MEMBERS, 403), "pmo": R},
    "escalation-raise": {**RC_VIEWERS, "owner": 403, "executive": 403, "partner": 403},
    "escalation-decide": {
        "owner": 404,
        "other_owner": 404,
        "chair": 403,
        "pmo": 403,
        "executive": M,
        "partner": 404,
    },
    "change-log": MEMBERS,
    "change-propose": {**RC_VIEWERS, "executive": 403, "partner": 403},
    "change-detail": RC_VIEWERS,
    "change-decide": {
        **RC_VIEWERS,
        "owner": 403,
        "chair": 403,
        "pmo": 403,
        "executive": R,
        "partner": 403,
    },
    "governance-settings": {**dict.fromkeys(MEMBERS, 403), "pmo": M},
    "theme-list": MEMBERS,
    "theme-detail": MEMBERS,
    "theme-edit": {**dict.fromkeys(MEMBERS, 403), "pmo": M},
    "rootcause-theme": {**RC_VIEWERS, "owner": 403, "chair": 403, "executive": 403, "partner": 403},
    "wellled-plan": dict.fromkeys(MEMBERS, R),
    "wellled-history": MEMBERS,
    "wellled-month": MEMBERS,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_may_do_what(client, request, world, persona, name):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    method, url, data = _urls(world)[name]
    response = getattr(client, method)(url, data)
    expected = EXPECTED[name].get(persona, 404)  # the outsider never learns it exists
    assert response.status_code == expected, f"{persona} {name}"


def _my_patterns():
    """Every URL pattern of the sprint pages (qip.urls_isg) and of governance."""
    from governance import urls as governance_urls
    from qip import urls_isg

    names = set()
    for module in (urls_isg, governance_urls):
        for pattern in module.urlpatterns:
            assert isinstance(pattern, URLPattern)
            names.add(pattern.name)
    return names


def test_the_permission_table_covers_every_page():
    assert _my_patterns() - {"wellled-edit"} == set(EXPECTED)


def _all_urls(w):
    urls = {name: url for name, (_m, url, _d) in _urls(w).items()}
    item = w["programme"].framework.items.get(code="W1")
    urls["wellled-edit"] = reverse("wellled-edit", args=[w["well_led"].pk, w["month"].pk, item.pk])
    return urls


def test_every_page_needs_sign_in(client, world):
    for name, url in _all_urls(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


POST_ONLY = {"sprint-sign-off", "closure-confirm", "escalations-evaluate", "change-decide"}


def test_someone_from_another_trust_gets_404_everywhere(client, world, outsider):
    client.force_login(outsider)
    for name, url in _all_urls(world).items():
        # A form-only URL answers GET with 405 before looking anything up.
        assert client.get(url).status_code == (405 if name in POST_ONLY else 404), name
        assert client.post(url).status_code == 404, name


def test_resolver_knows_the_issue_5_names():
    resolver = get_resolver()
    for name in (
        "isg-list",
        "isg-detail",
        "sprint-page",
        "period-detail",
        "theme-detail",
        "ecib-agenda",
        "change-log",
        "wellled-plan",
    ):
        assert resolver.reverse_dict.getlist(name), name
