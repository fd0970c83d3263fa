"""Who may open what: the expected answer of every URL of the project for every persona.

One row per URL name (tests/security/test_url_matrix.py fails, naming it, when the resolver
has a URL that this table does not list). A row says:

- `get`: the answer to a GET for each persona;
- `post`: the answer to a POST with an empty body. Left out, it is the GET row with each
  permitted answer (200, 302) relaxed to OK: the person may post, and an empty form must
  answer with anything but a server error and change nothing;
- `pk`: which object of the world (tests/security/world.py) a `<pk>` in the URL means. Other
  parameters come from DEFAULT_KWARGS by name, or from the row's `kwargs`;
- `html`: the answer is a page for people (the accessibility sweep opens it), not a file or
  JSON;
- `writes`: the POST is the action itself (a button with no fields: sign off, confirm a
  closure, run the escalation rules, make an API token), so an empty POST by someone allowed
  may change data. Everywhere else an empty POST must change nothing.

The answers: an HTTP status, LOGIN (302 to a sign-in page: ours, or the admin's for the
admin), or OK (a permitted person's answer: below 500 and not 401, 403 or 404). A 302 means
a redirect elsewhere than a sign-in page.

Adding a page: add its row here (one line for most pages), using the persona sets below.
"""

from dataclasses import dataclass, field

from .world import PERSONAS

LOGIN = "login"
OK = "ok"

ANON = "anonymous"
SIGNED_IN = frozenset(PERSONAS) - {ANON}
MEMBERS = SIGNED_IN - {"outsider"}  # everyone who takes part in the programme

# The root cause of the owner in ISG A (rootcauses/rules.py).
RC_ACT = frozenset({"owner", "chair", "isg_lead", "pmo"})  # post an update, upload evidence
RC_VIEW = RC_ACT | {"acc_exec", "executive", "partner", "engagement_lead"}
EVIDENCE_VIEW = RC_ACT | {"acc_exec", "executive"}  # not system partners
CLOSURE_REQUEST = frozenset({"owner", "pmo"})
CLOSURE_DECIDE = frozenset({"chair", "isg_lead"})  # never the root cause's own owner
VERIFY = frozenset({"chair", "isg_lead", "pmo"})
ESCALATE = frozenset({"chair", "isg_lead", "pmo"})
# KPIs (kpis/rules.py): values by the PMO, the root cause's owner, its ISG's chair and leads.
KPI_RECORD = frozenset({"pmo", "owner", "chair", "isg_lead"})
ISG_GRID = frozenset({"pmo", "chair", "isg_lead"})
CHAIR_A = frozenset({"chair", "isg_lead"})  # sign off ISG A's sprint
# Programme-wide roles (qip/rules.py, governance/rules.py, engagement/rules.py)
PMO = frozenset({"pmo"})
EXEC = frozenset({"executive"})
DASHBOARD = frozenset({"pmo", "executive", "partner"})
ECIB_VIEW = frozenset({"pmo", "executive", "chair", "other_chair", "isg_lead", "acc_exec"})
ENGAGEMENT_MANAGE = frozenset({"pmo", "engagement_lead"})
BOARD_PAPERS = frozenset({"pmo", "executive"})  # read board papers, the tracker, evidence packs
WELLLED_EDIT = frozenset({"pmo", "other_chair"})  # the Well-led ISG's chair, and the PMO


def gate(allowed, *, visible=MEMBERS, ok=200, anon=LOGIN) -> dict:
    """What the access helpers answer: `ok` for those allowed, 403 for those who may see the
    object but not do this, 404 for everyone else (we do not confirm it exists)."""
    answers = {ANON: anon}
    for persona in SIGNED_IN:
        answers[persona] = ok if persona in allowed else 403 if persona in visible else 404
    return answers


def members(ok=200) -> dict:
    return gate(MEMBERS, ok=ok)


def signed_in(ok=200, anon=LOGIN) -> dict:
    return {ANON: anon, **dict.fromkeys(SIGNED_IN, ok)}


def everyone(answer) -> dict:
    return dict.fromkeys(PERSONAS, answer)


NOT_ALLOWED = signed_in(405)  # require_GET / require_POST: the method is refused first
API_READ = signed_in(OK, anon=401)  # the API answers anonymous people itself, with 401 JSON
API_NO_WRITE = signed_in(405, anon=401)


@dataclass(frozen=True)
class Row:
    get: dict
    post: dict | None = None
    pk: str | None = None
    kwargs: dict = field(default_factory=dict)
    html: bool = True
    writes: bool = False
    settings: dict = field(default_factory=dict)

    def expected(self, method: str) -> dict:
        if method == "GET":
            return self.get
        if self.post is not None:
            return self.post
        return {p: OK if a in (200, 302) else a for p, a in self.get.items()}


# Parameters filled by name; `pk` always comes from the row.
DEFAULT_KWARGS = {
    "programme_pk": "programme",
    "isg_pk": "isg",
    "period_pk": "sprint",
    "root_cause_pk": "root_cause",
    "item_pk": "kloe_item",
    "fmt": "=csv",
    "format": "=json",
    # the admin's own parameters (nobody here is staff: they never reach an object)
    "object_id": "root_cause",
    "content_type_id": "=1",
    "id": "owner",
    "_0": "root_cause",
    "_1": "=1",
    "app_label": "=rootcauses",
    "url": "=no-such-page/",
    "path": "=css/qip.css",
}

WELLLED = {"isg_pk": "wellled_isg", "period_pk": "month"}

API = {"html": False}

TABLE: dict[str, Row] = {
    # Signing in and out, and the pages anyone may open
    "login": Row(everyone(200), post=everyone(200)),
    # Signing out is a POST (Django 5); afterwards, the sign-in page.
    "logout": Row(signed_in(405), post=everyone(LOGIN), html=False),
    # Single sign-on is off unless OIDC_RP_CLIENT_ID is set: the views say 404.
    "oidc_authentication_init": Row(everyone(404), post=everyone(404), html=False),
    "oidc_authentication_callback": Row(everyone(404), post=everyone(404), html=False),
    # Its answer depends on the broker and a worker (tested in tests/core/test_security.py);
    # here only who may ask: everyone, with the embedded default (no broker) healthy.
    "health": Row(everyone(200), post=everyone(405), html=False, settings={"REDIS_URL": ""}),
    "accessibility": Row(everyone(200)),
    "public-progress": Row(everyone(200), post=everyone(405)),
    # (static files: see STATIC below)
    # Signed-in pages of the programme
    "home": Row({**signed_in(200), "owner": 302, "other_owner": 302}),
    "programme-detail": Row(members(), pk="programme"),
    "isg-list": Row(members()),
    "isg-detail": Row(members(302), pk="isg"),
    "period-detail": Row(members(), pk="sprint"),
    "sprint-page": Row(members()),
    "sprint-sign-off": Row(NOT_ALLOWED, post=gate(CHAIR_A, ok=OK), writes=True),
    "closure-confirm": Row(
        NOT_ALLOWED, post=gate(CLOSURE_DECIDE, visible=RC_VIEW, ok=OK), pk="closure", writes=True
    ),
    "closure-reject": Row(gate(CLOSURE_DECIDE, visible=RC_VIEW), pk="closure"),
    "verification-record": Row(
        gate(VERIFY, visible=RC_VIEW), kwargs={"root_cause_pk": "rc_closed"}
    ),
    "kpi-watch": Row(members()),
    "kpi-watch-detail": Row(gate(RC_VIEW, visible=RC_VIEW), pk="rc_closed"),
    "dashboard": Row(gate(DASHBOARD)),
    "rootcause-list": Row(gate(DASHBOARD)),
    "finding-list": Row(members()),
    "finding-detail": Row(members(), pk="finding"),
    # The PMO's plan
    "plan-home": Row(gate(PMO), post=NOT_ALLOWED),
    "plan-import": Row(gate(PMO, ok=302)),
    "plan-commit": Row(NOT_ALLOWED, post=gate(PMO, ok=OK)),
    "plan-template": Row(gate(PMO), post=NOT_ALLOWED, html=False),
    "plan-export": Row(gate(PMO), post=NOT_ALLOWED, html=False),
    # The owner's pages
    "my-root-causes": Row(signed_in()),
    "rootcause-detail": Row(gate(RC_VIEW, visible=RC_VIEW), pk="root_cause"),
    "rootcause-history": Row(gate(RC_VIEW, visible=RC_VIEW), pk="root_cause"),
    "rootcause-update": Row(gate(RC_ACT, visible=RC_VIEW), pk="root_cause"),
    "rootcause-closure-request": Row(gate(CLOSURE_REQUEST, visible=RC_VIEW), pk="root_cause"),
    "rootcause-evidence-add": Row(gate(RC_ACT, visible=RC_VIEW), pk="root_cause"),
    "evidence-download": Row(gate(EVIDENCE_VIEW, visible=RC_VIEW), pk="evidence", html=False),
    # "Mark as reviewed": the next review date is optional, so an empty form is the action.
    "evidence-review": Row(
        NOT_ALLOWED, post=gate(RC_ACT, visible=RC_VIEW, ok=OK), pk="evidence", writes=True
    ),
    # KPIs: every member reads every KPI of the programme (kpis/rules.py)
    "kpi-detail": Row(members(), pk="kpi"),
    "kpi-chart-png": Row(members(), pk="kpi", html=False),
    "kpi-history": Row(members(), pk="kpi"),
    "kpi-record": Row(gate(KPI_RECORD), pk="kpi"),
    "kpi-upload": Row(gate(KPI_RECORD), pk="kpi"),
    "isg-kpi-summary": Row(members()),
    "isg-kpi-grid": Row(gate(ISG_GRID)),
    "kpi-summary": Row(members()),
    # Governance: the ECIB, escalation, change control, themes, the Well-led plan
    "ecib-agenda": Row(gate(ECIB_VIEW)),
    "escalations-evaluate": Row(NOT_ALLOWED, post=gate(PMO, ok=OK), writes=True),
    "ecib-meeting": Row(gate(ECIB_VIEW, visible=ECIB_VIEW), pk="meeting"),
    "escalation-raise": Row(gate(ESCALATE, visible=RC_VIEW)),
    "escalation-decide": Row(gate(EXEC, visible=ECIB_VIEW), pk="escalation"),
    "change-log": Row(members()),
    "change-propose": Row(gate(RC_ACT, visible=RC_VIEW)),
    "change-detail": Row(gate(RC_VIEW, visible=RC_VIEW), pk="change"),
    "change-decide": Row(NOT_ALLOWED, post=gate(EXEC, visible=RC_VIEW, ok=OK), pk="change"),
    "governance-settings": Row(gate(PMO)),
    "theme-list": Row(members()),
    "theme-detail": Row(members(), pk="theme"),
    "theme-edit": Row(gate(PMO), pk="theme"),
    # Both fields are optional ("no theme"): an empty form is a valid answer and saves it.
    "rootcause-theme": Row(gate(PMO, visible=RC_VIEW), writes=True),
    "wellled-plan": Row(members(302), kwargs=WELLLED),
    "wellled-history": Row(members(), kwargs=WELLLED),
    "wellled-month": Row(members(), kwargs=WELLLED),
    "wellled-edit": Row(gate(WELLLED_EDIT), kwargs=WELLLED),
    # Engagement: figures for every member; names, quotes and all writing for those who manage
    "engagement-home": Row(members()),
    "engagement-champions": Row(members()),
    "engagement-champion-add": Row(gate(ENGAGEMENT_MANAGE)),
    "engagement-champion-edit": Row(gate(ENGAGEMENT_MANAGE), pk="champion"),
    "engagement-activities": Row(members()),
    "engagement-activity-add": Row(gate(ENGAGEMENT_MANAGE)),
    "engagement-activity-detail": Row(members(), pk="activity"),
    "engagement-activity-edit": Row(gate(ENGAGEMENT_MANAGE), pk="activity"),
    "engagement-meetings": Row(members()),
    "engagement-meeting-add": Row(gate(ENGAGEMENT_MANAGE)),
    "engagement-meeting-detail": Row(members(), pk="partner_meeting"),
    "engagement-meeting-edit": Row(gate(ENGAGEMENT_MANAGE), pk="partner_meeting"),
    "engagement-meeting-feedback-add": Row(gate(ENGAGEMENT_MANAGE), pk="partner_meeting"),
    "engagement-you-said-we-did": Row(members()),
    "engagement-feedback": Row(members()),
    "engagement-feedback-add": Row(gate(ENGAGEMENT_MANAGE)),
    "engagement-feedback-csv": Row(gate(ENGAGEMENT_MANAGE), html=False),
    "engagement-feedback-detail": Row(gate(ENGAGEMENT_MANAGE), pk="feedback"),
    "engagement-feedback-edit": Row(gate(ENGAGEMENT_MANAGE), pk="feedback"),
    "engagement-feedback-respond": Row(gate(ENGAGEMENT_MANAGE), pk="feedback"),
    "engagement-stories": Row(members()),
    "engagement-story-add": Row(gate(ENGAGEMENT_MANAGE)),
    "engagement-story-detail": Row(members(), pk="story"),  # published: every member reads it
    "engagement-story-edit": Row(gate(ENGAGEMENT_MANAGE), pk="story"),
    "engagement-story-decide": Row(NOT_ALLOWED, post=gate(ENGAGEMENT_MANAGE, ok=OK), pk="story"),
    "engagement-summary": Row(members()),
    "engagement-newsletter": Row(members()),
    "engagement-survey-record": Row(gate(ENGAGEMENT_MANAGE)),
    "engagement-public-settings": Row(gate(PMO)),
    # Board papers (issue 9): the PMO builds and issues them; executives read and download.
    # Nobody else is told a paper exists (404); the programme's pages say 403.
    "board-papers": Row(gate(BOARD_PAPERS)),
    "board-paper-new": Row(gate(PMO)),
    "strategic-objectives": Row(gate(PMO)),
    "tracker-export": Row(gate(BOARD_PAPERS), html=False),
    "evidence-pack": Row(gate(BOARD_PAPERS), html=False),
    "board-paper-detail": Row(gate(BOARD_PAPERS, visible=BOARD_PAPERS), pk="board_paper"),
    "board-paper-cover": Row(gate(PMO, visible=BOARD_PAPERS), pk="board_paper"),
    "board-paper-section": Row(
        gate(PMO, visible=BOARD_PAPERS), pk="board_paper", kwargs={"key": "=background"}
    ),
    # An empty export request is refused with a message (no format chosen): nothing queued.
    "board-paper-export": Row(
        NOT_ALLOWED, post=gate(PMO, visible=BOARD_PAPERS, ok=OK), pk="board_paper"
    ),
    "board-paper-issue": Row(gate(PMO, visible=BOARD_PAPERS), pk="board_paper"),
    # Deleting a draft is the POST itself.
    "board-paper-delete": Row(
        NOT_ALLOWED, post=gate(PMO, visible=BOARD_PAPERS, ok=OK), pk="board_paper", writes=True
    ),
    "board-paper-file": Row(gate(BOARD_PAPERS, visible=BOARD_PAPERS), pk="board_paper_file"),
    "board-paper-file-download": Row(
        gate(BOARD_PAPERS, visible=BOARD_PAPERS), pk="board_paper_file", html=False
    ),
    # The API: token (or session) authentication of its own; read-only; scoped per person
    "api-schema": Row(API_READ, post=API_NO_WRITE, **API),
    "api-docs": Row(signed_in()),
    "api-token": Row(signed_in(), writes=True),
    "api-root": Row(API_READ, post=API_NO_WRITE, **API),
    "api-root-cause-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-root-cause-detail": Row(
        gate(RC_VIEW, visible=(), anon=401), post=API_NO_WRITE, pk="root_cause", **API
    ),
    "api-finding-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-finding-detail": Row(
        gate(MEMBERS, visible=(), anon=401), post=API_NO_WRITE, pk="finding", **API
    ),
    "api-action-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-action-detail": Row(
        gate(RC_VIEW, visible=(), anon=401), post=API_NO_WRITE, pk="action", **API
    ),
    "api-update-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-update-detail": Row(
        gate(RC_VIEW, visible=(), anon=401), post=API_NO_WRITE, pk="update", **API
    ),
    "api-kpi-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-kpi-detail": Row(gate(RC_VIEW, visible=(), anon=401), post=API_NO_WRITE, pk="kpi", **API),
    "api-measurement-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-measurement-detail": Row(
        gate(RC_VIEW, visible=(), anon=401), post=API_NO_WRITE, pk="measurement", **API
    ),
    "api-isg-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-isg-detail": Row(gate(MEMBERS, visible=(), anon=401), post=API_NO_WRITE, pk="isg", **API),
    "api-period-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-period-detail": Row(
        gate(MEMBERS, visible=(), anon=401), post=API_NO_WRITE, pk="sprint", **API
    ),
    "api-snapshot-list": Row(API_READ, post=API_NO_WRITE, **API),
    "api-snapshot-detail": Row(
        gate(MEMBERS, visible=(), anon=401), post=API_NO_WRITE, pk="snapshot", **API
    ),
    # The Django admin: for staff only (nobody here is staff). Everyone is sent to the admin's
    # own sign-in page, which says a signed-in person may not use the admin.
    "admin:*": Row(everyone(LOGIN), post=everyone(LOGIN), html=False),
    "admin:login": Row(everyone(200), post=everyone(200), html=False),
    "admin:logout": Row(signed_in(302), post=signed_in(302), html=False),  # to the admin's index
    # Static files (only routed when DEBUG is on; whitenoise serves them in production)
    "^static/(?P<path>.*)$": Row(
        everyone(200), post=everyone(OK), html=False, settings={"DEBUG": True}
    ),
}

# Pages that answer without signing in. Anything else answering an anonymous person with
# something other than a redirect to the sign-in page (or the API's 401) fails the matrix.
PUBLIC = {
    "login",
    "admin:login",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "health",
    "accessibility",
    "public-progress",
    "^static/(?P<path>.*)$",
}


def row_for(pattern) -> Row | None:
    if pattern.key in TABLE:
        return TABLE[pattern.key]
    if pattern.is_admin:
        return TABLE["admin:*"]
    return None


def path_for(world, pattern, row: Row) -> str:
    """The path of `pattern` with its parameters filled from the world."""
    values = {}
    for param in pattern.params:
        source = row.kwargs.get(param) or (row.pk if param == "pk" else None)
        source = source or DEFAULT_KWARGS.get(param)
        assert source, f"{pattern.key}: no value for <{param}>; give the row a pk= or kwargs="
        values[param] = source[1:] if source.startswith("=") else str(getattr(world, source).pk)
    return pattern.path(values)
