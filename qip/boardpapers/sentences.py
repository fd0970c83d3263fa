"""The board paper's sentences as pure functions: plain numbers and dates in, the seed paper's
wording out (seeds/003). Nothing here reads the database, so each rule is tested on its own.

House style, as the seed writes it:
- counts from one to nine in words, 10 and over in figures ("eight Should Do Root Causes",
  "93 Must Do Root Causes"); none is "no";
- a headline percentage is rounded down to a multiple of five and said as "over 75%"
  (exactly 80.0% is "80%");
- an ISG's % of trajectory is a whole number ("85%");
- lists join with commas and a final "and", no Oxford comma ("Safe and Well-led").
"""

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# The change in % of trajectory since the previous month, in percentage points: under SAME
# is "in line with", under SLIGHT "a slight reduction/increase", from SIGNIFICANT "a
# significant reduction/increase", between them "a reduction/an increase".
SAME_BELOW = Decimal("1")
SLIGHT_BELOW = Decimal("5")
SIGNIFICANT_FROM = Decimal("15")
# An ISG "has made good progress" from this % of trajectory, as the paper rounds it (the seed:
# 85% and 87% good, 84% and 67% "has made progress").
GOOD_PROGRESS_FROM = Decimal("85")


def number_words(n: int, *, start: bool = False) -> str:
    """1–9 in words, 10 and over in figures, 0 as "no"; capitalised at a sentence's start."""
    text = WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"
    return text[:1].upper() + text[1:] if start else text


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return singular if n == 1 else (plural_form or singular + "s")


def count_words(n: int, singular: str, plural_form: str | None = None, *, start=False) -> str:
    """ "eight Should Do Root Causes", "one finding", "93 Must Do Root Causes"."""
    return f"{number_words(n, start=start)} {plural(n, singular, plural_form)}"


def and_join(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def whole_percent(value) -> str:
    """84.6 → "85%" (half up)."""
    return f"{_decimal(value).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def percent_words(value) -> str:
    """A headline percentage as the seed says it: 77.7 → "over 75%", 82.5 → "over 80%",
    80.0 → "80%", 3 → "under 5%", 0 → "0%"."""
    value = _decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    five = Decimal("5")
    if value % five == 0:
        return f"{value.quantize(Decimal('1'))}%"
    floor = (value / five).to_integral_value(rounding=ROUND_FLOOR) * five
    if floor <= 0:
        return "under 5%"
    return f"over {floor}%"


def percent_change(now, before, *, month: str) -> str:
    """How % of trajectory moved since the previous month: "a slight reduction from the 80% of
    trajectory completion achieved at the end of March"."""
    now, before = _decimal(now), _decimal(before)
    diff = now - before
    then = f"the {whole_percent(before)} of trajectory completion achieved at the end of {month}"
    size = abs(diff)
    if size < SAME_BELOW:
        return f"in line with {then}"
    down = diff < 0
    if size < SLIGHT_BELOW:
        kind = "a slight reduction" if down else "a slight increase"
    elif size >= SIGNIFICANT_FROM:
        kind = "a significant reduction" if down else "a significant increase"
    else:
        kind = "a reduction" if down else "an increase"
    return f"{kind} from {then}"


def count_change(now: int, before: int, *, month: str) -> str:
    """How the number completed moved since the previous month's end: "a significant uplift
    against the progress at the end of March" (half as many again or more)."""
    if now == before:
        return f"no change from the progress at the end of {month}"
    if now < before:
        return f"fewer than at the end of {month}"
    if before == 0 or (now - before) * 2 >= before:
        return f"a significant uplift against the progress at the end of {month}"
    if (now - before) * 10 >= before:
        return f"an uplift against the progress at the end of {month}"
    return f"a small uplift against the progress at the end of {month}"


def long_date(day: dt.date) -> str:
    """ "4 April 2019" (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def month_name(day: dt.date) -> str:
    return f"{day:%B}"


def headline(
    *,
    month: str,
    md_completed: int,
    sd_completed: int,
    percent,
    previous_month: str | None = None,
    previous_percent=None,
    previous_completed: int | None = None,
    with_uplift: bool = False,
) -> str:
    """The Situation's headline (and 1a's, `with_uplift`): completions, % of trajectory and
    the comparison with the previous month, all worked out from the figures."""
    completed = (
        f"At the end of {month}, the latest full month for which reporting is available, "
        f"{count_words(md_completed, 'Must Do Root Cause')} and "
        f"{count_words(sd_completed, 'Should Do Root Cause')} were completed"
    )
    if with_uplift and previous_month and previous_completed is not None:
        completed += ", " + count_change(
            md_completed + sd_completed, previous_completed, month=previous_month
        )
    text = completed + "."
    if percent is None:
        return text + " Nothing was yet due for completion on the trajectory."
    text += f" This is {percent_words(percent)} of the forecast completion trajectory"
    if previous_month and previous_percent is not None:
        text += ", " + percent_change(percent, previous_percent, month=previous_month)
    return text + "."


def previous_month_sentence(
    *,
    month: str,
    completed: int,
    md_percent,
    before_completed: int | None = None,
    before_month: str | None = None,
) -> str:
    """The Background's look back: "At the end of March, we had completed 52 Root Causes in
    total … This represented over 80% of the trajectory of Must Do Root Causes due …"."""
    text = (
        f"At the end of {month}, we had completed {count_words(completed, 'Root Cause')} in total"
    )
    if before_month is not None and before_completed is not None:
        change = count_change(completed, before_completed, month=before_month)
        text += ", " + change.replace("uplift against the progress", "increase from the progress")
    text += "."
    if md_percent is not None:
        text += (
            f" This represented {percent_words(md_percent)} of the trajectory of Must Do Root "
            "Causes due for completion by that point."
        )
    return text


def isg_progress(
    *,
    isg_label: str,
    month: str,
    md_percent,
    md_completed: int,
    md_planned: int,
) -> str:
    """ "The ISG has made good progress to date, and at the end of April had achieved 85% of
    planned trajectory for Root Causes. 22 Must Do Root Causes had been closed, against a
    target of 26." """
    if md_percent is None or md_planned == 0:
        text = f"No Must Do Root Causes were due for completion by the end of {month}"
        if md_completed:
            text += f"; {number_words(md_completed)} had already been closed"
        return text + "."
    percent = _decimal(md_percent).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    progress = "made good progress" if percent >= GOOD_PROGRESS_FROM else "made progress"
    return (
        f"The {isg_label} has {progress} to date, and at the end of {month} had achieved "
        f"{whole_percent(percent)} of planned trajectory for Root Causes. "
        f"{count_words(md_completed, 'Must Do Root Cause', start=True)} had been closed, "
        f"against a target of {md_planned}."
    )


def outlook(
    *,
    status: str,
    next_month: str,
    percent_forecast=None,
    isg_label: str = "ISG",
) -> str:
    """The recovery outlook from qip.reporting.forecast, in words."""
    if status == "on_trajectory":
        return f"The {isg_label} is on trajectory."
    if status == "no_plan":
        return ""
    if status == "no_history":
        return "No Root Causes have been closed yet, so there is no rate of completion to forecast from."
    forecast = (
        f" (forecast {whole_percent(percent_forecast)} of trajectory)"
        if percent_forecast is not None
        else ""
    )
    if status == "likely":
        return (
            "At its recent rate of completion it is forecast to recover its trajectory by the "
            f"end of {next_month}{forecast}."
        )
    return (
        "At its recent rate of completion it is unlikely that there will be a full recovery "
        f"against trajectory by the end of {next_month}{forecast}."
    )


def addresses(
    *,
    isg_label: str,
    qip_name: str,
    md_findings: int,
    sd_findings: int,
    md_root_causes: int,
    sd_root_causes: int,
    services: Sequence[str] = (),
) -> str:
    """ "The Women's and Children's QIP addresses the 21 Must Do and 27 Should Do findings
    relating to Maternity. The unpacking process led to the identification of 47 Must Do and
    35 Should Do Root Causes." """
    text = (
        f"The {qip_name} QIP addresses the {number_words(md_findings)} Must Do and "
        f"{number_words(sd_findings)} Should Do {plural(md_findings + sd_findings, 'finding')}"
    )
    if services:
        text += f" relating to {and_join(list(services))}"
    return text + (
        f". The unpacking process led to the identification of {number_words(md_root_causes)} "
        f"Must Do and {number_words(sd_root_causes)} Should Do "
        f"{plural(md_root_causes + sd_root_causes, 'Root Cause')}."
    )


def ratings_sentence(*, worst: str, domains: Sequence[str], overall: str | None) -> str:
    """ "The Trust was found to be Inadequate in two domains (Safe and Well-led) and was rated
    overall as Inadequate." """
    if not domains:
        return f"The Trust was rated overall as {overall}." if overall else ""
    text = (
        f"The Trust was found to be {worst} in {count_words(len(domains), 'domain')} "
        f"({and_join(list(domains))})"
    )
    if overall:
        text += f" and was rated overall as {overall}"
    return text + "."


def findings_sentence(*, md_findings: int, sd_findings: int) -> str:
    """ "The CQC's 79 Must Do findings describe areas where the Trust must demonstrate
    improvement. A further 91 Should Do findings recommend additional areas for improvement." """
    return (
        f"The CQC's {number_words(md_findings)} Must Do {plural(md_findings, 'finding')} "
        "describe areas where the Trust must demonstrate improvement. A further "
        f"{number_words(sd_findings)} Should Do {plural(sd_findings, 'finding')} recommend "
        "additional areas for improvement."
    )


def a_or_an(noun: str) -> str:
    """ "a Section 31 notice", "an enforcement notice"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def date_span(start: dt.date, end: dt.date) -> str:
    """ "April 2019" for a whole calendar month, "1 to 26 April 2019" for part of one."""
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1 and start.month == end.month:
        return f"{start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {end.day} {end:%B %Y}"
    return f"{long_date(start)} to {long_date(end)}"
