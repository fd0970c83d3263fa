"""Shared strategies and checks for the fuzz tests (tests/security/test_fuzz_*.py).

Every fuzz test posts hostile input through the Django test client, as a browser would, and
checks two things: no server error (the test client re-raises a view's exception, and a
status of 500 or more fails), and nothing stored comes back unescaped: the raw probes below
(a script tag, an event-handler attribute) never appear in a page's HTML, only escaped.

Settings: the same examples on every run (derandomize) so CI never fails by chance; a few
dozen examples per form keep the whole fuzz suite within about two minutes.
"""

import datetime as dt

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: a failure reports the example that failed, at once, instead of spending
    # minutes making it smaller against the database.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database per test; examples add to it
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Never seen raw in a page: the first two are what an attacker would store.
RAW_PROBES = ("<script>alert(1)", "<img src=x onerror=alert(1)>")
HOSTILE = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '=HYPERLINK("http://example.invalid","click")',
    "=1+1",
    "+SUM(A1:A9)",
    "@cmd",
    "{{ request.user.password }}",
    "{% debug %}",
    "' OR 1=1 --",
    "Robert'); DROP TABLE rootcauses_update;--",
    "\u202eevil\u202c",
    "Ward 7 \U0001f3e5 — naïve café ½ ﷺ",
    "\x00",
    "a\x00b",
    "\r\n\r\n",
    " ",
    "",
]

_characters = st.characters(exclude_categories=("Cs",))  # lone surrogates cannot be sent

text = st.one_of(
    st.text(_characters, max_size=80),
    st.sampled_from(HOSTILE),
    st.builds(
        lambda before, probe, after: before + probe + after,
        st.text(_characters, max_size=10),
        st.sampled_from(HOSTILE[:3]),
        st.text(_characters, max_size=10),
    ),
    st.integers(min_value=200, max_value=12_000).map(lambda n: "x" * n),
)

dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.dates(min_value=dt.date(1900, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2024-02-30",
            "0000-00-00",
            "2024-13-01",
            "31/12/99",
            "00/00/0000",
            "１２/０２/２０２４",
            "2024-02-20T25:00",
            "",
        ]
    ),
    st.text(_characters, max_size=12),
)

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["1e309", "-1e309", "NaN", "-inf", "1e-400", "0x10", "1_000", "١٢", "½", "12,5", "9" * 200]
    ),
    st.text(_characters, max_size=8),
)


def assert_escaped(response) -> None:
    """The page never carries a hostile probe raw (escaped is fine)."""
    body = response.content.decode(errors="replace")
    for probe in RAW_PROBES:
        assert probe not in body, f"{probe!r} is in {response.request['PATH_INFO']} unescaped"


def assert_handled(response) -> None:
    """A clear answer, never a server error (nor the database refusing a value: 503)."""
    assert response.status_code < 500, response.content.decode(errors="replace")[:3000]
    assert_escaped(response)
