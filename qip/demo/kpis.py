"""The demo trust's KPIs: values for every root cause KPI and each ISG's high-level KPIs.

Root cause KPIs get fortnightly values (monthly for Well-led) from late 2018, before the plan,
to April 2019; most closed root causes' KPIs step up after closure, and a few tell the
sustainability story: one closed in early March whose KPI did not move (on the watch list
after seven weekly values), one that got worse after closure (special-cause concern), one
that improved. Each ISG has 10–12 high-level KPIs across the five CQC domains with 26–30
values whose shapes (shifts, trends, outliers) and targets give every Making Data Count icon.
Everything is written through kpis.services.measurement_record, as people would.
"""

from __future__ import annotations

import datetime as dt
import random

from cqc.models import KeyQuestion
from kpis import spc
from kpis.models import KPI
from kpis.periods import period_ends
from kpis.services import measurement_record
from rootcauses.models import RootCause, Update

from .plan import DEMO_TODAY, SPRINT_ANCHOR

LAST_COMPLETE_SPRINT_END = dt.date(2019, 4, 14)
CURRENT_SPRINT_END = dt.date(2019, 4, 28)
ROOT_CAUSE_HISTORY_FROM = dt.date(2018, 11, 25)

# (name, domain, unit, improvement, level, sd, frequency, pattern, target, data source)
# pattern: common | shift_up | shift_down | trend_up | trend_down | outlier_high | outlier_low
# target:  pass | fail | inconsistent | none (worked out from the process limits)
P, C, R, M, D = "percentage", "count", "rate", "minutes", "days"
INC, DEC, NEU = "increase", "decrease", "neutral"
FN, MO = "fortnightly", "monthly"
# fmt: off
HIGH_LEVEL = {
    "WC": [
        ("% of shifts with the planned number of midwives", "SAFE", P, INC, 86, 3, FN, "shift_up", "fail", "e-Roster"),
        ("% of women with one-to-one care in labour", "SAFE", P, INC, 95, 1.2, FN, "common", "inconsistent", "Maternity system"),
        ("Post-partum haemorrhage over 1.5 litres per 100 births", "SAFE", R, DEC, 3.5, 0.5, FN, "shift_down", "inconsistent", "Maternity dashboard"),
        ("% of CTG reviews with a fresh-eyes check", "EFFECTIVE", P, INC, 80, 3, FN, "trend_up", "fail", "CTG audit"),
        ("% of term babies admitted to the neonatal unit", "EFFECTIVE", P, DEC, 6, 0.7, FN, "outlier_high", "pass", "Badger"),
        ("% of maternity staff up to date with PROMPT training", "EFFECTIVE", P, INC, 78, 2.5, FN, "trend_down", "fail", "Learning system"),
        ("Friends and Family Test: % recommending maternity", "CARING", P, INC, 94, 1.2, FN, "common", "none", "FFT"),
        ("Complaints about maternity care", "CARING", C, DEC, 6, 2, FN, "common", "none", "Datix"),
        ("Minutes from decision to delivery, category 1 caesarean", "RESPONSIVE", M, DEC, 26, 2.5, FN, "shift_down", "pass", "Theatre system"),
        ("% of women booked by 12 weeks 6 days", "RESPONSIVE", P, INC, 88, 1.8, FN, "common", "inconsistent", "Maternity system"),
        ("Births", "RESPONSIVE", C, NEU, 170, 9, FN, "shift_up", "none", "Maternity system"),
        ("% of maternity incidents reported within 2 days", "WELL_LED", P, INC, 70, 4, FN, "shift_up", "inconsistent", "Datix"),
    ],
    "SC": [
        ("% of surgical patients with a VTE risk assessment", "SAFE", P, INC, 92, 1.8, FN, "common", "inconsistent", "EPR"),
        ("% of safer surgery checklists fully completed", "SAFE", P, INC, 85, 3, FN, "shift_up", "fail", "Theatre audit"),
        ("Surgical site infections per 100 operations", "SAFE", R, DEC, 2.2, 0.35, FN, "common", "pass", "Infection control"),
        ("% of critical care discharges delayed over 4 hours", "EFFECTIVE", P, DEC, 22, 3, FN, "shift_up", "fail", "ICNARC"),
        ("% of end of life care plans individualised", "EFFECTIVE", P, INC, 70, 4, FN, "trend_up", "fail", "EoLC audit"),
        ("% of patients readmitted within 30 days", "EFFECTIVE", P, DEC, 8, 0.7, FN, "outlier_low", "inconsistent", "SUS"),
        ("Friends and Family Test: % recommending surgical wards", "CARING", P, INC, 93, 1.5, FN, "outlier_low", "inconsistent", "FFT"),
        ("% of patients dying in their preferred place", "CARING", P, INC, 65, 4, FN, "common", "none", "EoLC audit"),
        ("Operations cancelled on the day", "RESPONSIVE", C, DEC, 14, 2.5, FN, "trend_down", "none", "Theatre system"),
        ("% of patients treated within 18 weeks", "RESPONSIVE", P, INC, 84, 1.2, FN, "trend_down", "fail", "PAS"),
        ("Elective operations", "RESPONSIVE", C, NEU, 620, 25, FN, "shift_down", "none", "Theatre system"),
        ("% of surgical incidents reviewed within 10 days", "WELL_LED", P, INC, 72, 4, FN, "common", "fail", "Datix"),
    ],
    "UC": [
        ("% of children streamed within 15 minutes of arrival", "SAFE", P, INC, 70, 4, FN, "shift_up", "fail", "ED system"),
        ("% of ED patients screened for sepsis within 1 hour", "SAFE", P, INC, 82, 3, FN, "common", "inconsistent", "ED system"),
        ("Falls with harm per 1,000 bed days", "SAFE", R, DEC, 0.6, 0.1, FN, "outlier_high", "none", "Datix"),
        ("% of ED patients with an early warning score recorded", "EFFECTIVE", P, INC, 86, 2, FN, "trend_up", "inconsistent", "ED system"),
        ("% of patients with sepsis given antibiotics within 1 hour", "EFFECTIVE", P, INC, 75, 4, FN, "common", "fail", "Sepsis audit"),
        ("Friends and Family Test: % recommending the ED", "CARING", P, INC, 82, 2.5, FN, "shift_down", "inconsistent", "FFT"),
        ("Complaints about the ED", "CARING", C, DEC, 9, 2, FN, "common", "none", "Datix"),
        ("% of ED patients seen within 4 hours", "RESPONSIVE", P, INC, 82, 1.8, FN, "common", "fail", "ED system"),
        ("Ambulance handovers over 60 minutes", "RESPONSIVE", C, DEC, 35, 5, FN, "shift_up", "fail", "Ambulance service"),
        ("Minutes from arrival to initial assessment (median)", "RESPONSIVE", M, DEC, 18, 1.6, FN, "shift_down", "pass", "ED system"),
        ("ED attendances", "RESPONSIVE", C, NEU, 3800, 120, FN, "outlier_high", "none", "ED system"),
        ("% of Hospital at Night handovers with a senior doctor", "WELL_LED", P, INC, 78, 3, FN, "trend_up", "fail", "H@N log"),
    ],
    "WF": [
        ("% of shifts filled to the planned registered nurse level", "SAFE", P, INC, 89, 1.8, FN, "shift_up", "inconsistent", "e-Roster"),
        ("Registered nurse vacancy rate (%)", "SAFE", P, DEC, 11, 0.5, MO, "trend_down", "fail", "ESR"),
        ("% of staff up to date with mandatory training", "EFFECTIVE", P, INC, 82, 1.2, FN, "trend_up", "fail", "Learning system"),
        ("% of staff with an appraisal in the last 12 months", "EFFECTIVE", P, INC, 76, 1.8, MO, "common", "fail", "ESR"),
        ("% of staff who would recommend the trust as a place to work", "WELL_LED", P, INC, 52, 2.5, MO, "shift_up", "inconsistent", "Staff pulse survey"),
        ("% of staff who would recommend the trust for their family's care", "CARING", P, INC, 64, 2.5, MO, "common", "fail", "Staff pulse survey"),
        ("% of staff who feel able to raise concerns", "WELL_LED", P, INC, 68, 2.5, MO, "trend_up", "inconsistent", "Staff pulse survey"),
        ("Sickness absence rate (%)", "WELL_LED", P, DEC, 4.6, 0.22, MO, "outlier_high", "inconsistent", "ESR"),
        ("Staff turnover rate (%)", "WELL_LED", P, DEC, 12.5, 0.45, MO, "common", "fail", "ESR"),
        ("Agency shifts as % of all shifts", "EFFECTIVE", P, DEC, 9, 0.7, FN, "shift_down", "pass", "e-Roster"),
        ("Bank and agency shifts requested", "RESPONSIVE", C, NEU, 1450, 60, FN, "shift_down", "none", "e-Roster"),
        ("Days from advert to start", "RESPONSIVE", D, DEC, 72, 4, MO, "common", "fail", "TRAC"),
    ],
    "WL": [
        ("% of Board papers with a completed assurance summary", "WELL_LED", P, INC, 60, 6, MO, "shift_up", "inconsistent", "Board secretary's log"),
        ("% of serious incident reports completed within 60 days", "SAFE", P, INC, 55, 6, MO, "trend_up", "fail", "Datix"),
        ("% of policies in date", "WELL_LED", P, INC, 74, 2.5, MO, "common", "fail", "Policy library"),
        ("Freedom to Speak Up concerns raised", "WELL_LED", C, NEU, 9, 2, MO, "shift_up", "none", "FTSU guardian"),
        ("% of complaints answered within 30 working days", "RESPONSIVE", P, INC, 58, 5, MO, "common", "inconsistent", "Datix"),
        ("% of risks on the register reviewed in date", "WELL_LED", P, INC, 70, 3, MO, "trend_down", "fail", "Risk register"),
        ("% of staff who say senior leaders are visible", "WELL_LED", P, INC, 41, 2.5, MO, "shift_up", "inconsistent", "Staff pulse survey"),
        ("% of NICE guidance assessed within 90 days", "EFFECTIVE", P, INC, 66, 4, MO, "common", "fail", "Clinical effectiveness"),
        ("Friends and Family Test: % recommending the trust", "CARING", P, INC, 90, 1, MO, "outlier_low", "inconsistent", "FFT"),
        ("% of Board actions completed by their due date", "WELL_LED", P, INC, 62, 5, MO, "common", "none", "Board secretary's log"),
    ],
}
# fmt: on

UP = {"shift_up", "trend_up", "outlier_high"}
DOWN = {"shift_down", "trend_down", "outlier_low"}


def expected_variation(pattern: str, improvement: str) -> str:
    if pattern == "common":
        return "common_cause"
    high = pattern in UP
    if improvement == NEU:
        return "neutral_high" if high else "neutral_low"
    better = high == (improvement == INC)
    if better:
        return "improvement_high" if improvement == INC else "improvement_low"
    return "concern_low" if improvement == INC else "concern_high"


def _shape(pattern: str, n: int, level: float, sd: float, rng: random.Random) -> list[float]:
    values = [rng.gauss(level, sd) for _ in range(n)]
    if pattern in ("shift_up", "shift_down"):
        sign = 1 if pattern == "shift_up" else -1
        for i in range(n - 9, n):
            values[i] += sign * 2.2 * sd
    elif pattern in ("trend_up", "trend_down"):
        sign = 1 if pattern == "trend_up" else -1
        start = n - 8
        for k, i in enumerate(range(start, n), start=1):
            values[i] = level + sign * k * 0.9 * sd + rng.uniform(-0.25, 0.25) * sd
    elif pattern in ("outlier_high", "outlier_low"):
        values[-1] = level + (1 if pattern == "outlier_high" else -1) * 4.5 * sd
    return values


def _round(values: list[float], unit: str, sd: float) -> list[float]:
    if unit == C:
        return [max(0, round(v)) for v in values]
    digits = 2 if sd < 0.5 else 1
    rounded = [round(v, digits) for v in values]
    if unit == P:
        rounded = [min(100.0, max(0.0, v)) for v in rounded]
    return rounded


def make_series(spec, n: int, rng: random.Random) -> tuple[list[float], float | None]:
    """Values with the shape the spec asks for, and a target giving its assurance icon."""
    _name, _domain, unit, improvement, level, sd, _freq, pattern, target_kind, _src = spec
    want = expected_variation(pattern, improvement)
    for _attempt in range(200):
        values = _round(_shape(pattern, n, level, sd, rng), unit, sd)
        result = spc.analyse(values, improvement=improvement)
        if result.variation != want or result.lower_limit is None:
            continue
        if target_kind == "none":
            return values, None
        target = _target(result, improvement, target_kind, sd, unit)
        want_assurance = (
            target_kind if target_kind == "inconsistent" else f"consistent_{target_kind}"
        )
        if spc.analyse(values, improvement=improvement, target=target).assurance == want_assurance:
            return values, target
    raise RuntimeError(f"Could not shape demo values for {spec[0]}")


def _target(result, improvement: str, kind: str, sd: float, unit: str) -> float:
    low, high, mean = result.lower_limit, result.upper_limit, result.mean
    passing_low = improvement == INC
    if kind == "inconsistent":
        raw = mean
    elif (kind == "pass") == passing_low:
        raw = low - 0.6 * sd
    else:
        raw = high + 0.6 * sd
    if unit == P:
        raw = min(raw, 100.0)
    nice = round(raw) if sd >= 1 else round(raw, 1)
    return float(nice)


def _domains() -> dict[str, KeyQuestion]:
    return {kq.code: kq for kq in KeyQuestion.objects.all()}


def build(*, programme, accounts) -> None:
    rng = random.Random(7)
    pmo = accounts["pmo"]
    _high_level_kpis(programme, pmo, rng)
    _root_cause_kpis(programme, rng)


def _high_level_kpis(programme, pmo, rng: random.Random) -> None:
    domains = _domains()
    isgs = {isg.code: isg for isg in programme.isgs.all()}
    fortnights = period_ends(
        FN, anchor=SPRINT_ANCHOR, sprint_days=14, today=LAST_COMPLETE_SPRINT_END, count=30
    )
    months = period_ends(
        MO, anchor=SPRINT_ANCHOR, sprint_days=14, today=dt.date(2019, 3, 31), count=26
    )
    for code, specs in HIGH_LEVEL.items():
        isg = isgs[code]
        for spec in specs:
            name, domain, unit, improvement, _level, sd, frequency, _p, _t, source = spec
            days = fortnights if frequency == FN else months
            values, target = make_series(spec, len(days), rng)
            kpi = KPI.objects.create(
                programme=programme,
                level=KPI.Level.HIGH_LEVEL,
                isg=isg,
                name=name,
                definition=f"{name}, reported {frequency} to the {isg.name} ISG.",
                unit=unit,
                unit_label={R: "per 100" if "100" in name else "per 1,000 bed days"}.get(unit, ""),
                improvement=improvement,
                target=target,
                frequency=frequency,
                data_source=source,
                owner=isg.chair,
                key_question=domains[domain],
            )
            for day, value in zip(days, values, strict=True):
                measurement_record(by=pmo, kpi=kpi, period_end=day, value=value)


def _root_cause_kpis(programme, rng: random.Random) -> None:
    root_causes = list(
        RootCause.objects.in_programme(programme.pk)
        .filter(kpi__isnull=False)
        .select_related("kpi", "isg", "owner")
        .order_by("reference")
    )
    current_updates = set(
        Update.objects.filter(
            root_cause__programme=programme, period__ends_on=CURRENT_SPRINT_END
        ).values_list("root_cause_id", flat=True)
    )
    closed_early = sorted(
        (rc for rc in root_causes if rc.completed_on and rc.completed_on <= dt.date(2019, 3, 8)),
        key=lambda rc: (rc.completed_on, rc.reference),
    )
    # The sustainability stories: weekly audits, so that seven values follow the closure.
    stories = {}
    if len(closed_early) >= 3:
        stories = {
            closed_early[0].pk: "flat",
            closed_early[1].pk: "improves",
            closed_early[2].pk: "worse",
        }
        KPI.objects.filter(pk__in=[closed_early[0].kpi_id, closed_early[1].kpi_id]).update(
            frequency=KPI.Frequency.WEEKLY
        )
    for rc in root_causes:
        kpi = rc.kpi
        story = stories.get(rc.pk)
        if story in ("flat", "improves"):
            days = period_ends(
                "weekly", anchor=SPRINT_ANCHOR, sprint_days=14, today=DEMO_TODAY, count=20
            )
        elif rc.isg.cadence == "monthly":
            days = period_ends(
                MO, anchor=SPRINT_ANCHOR, sprint_days=14, today=dt.date(2019, 3, 31), count=6
            )
        else:
            days = [
                d
                for d in period_ends(
                    FN, anchor=SPRINT_ANCHOR, sprint_days=14, today=DEMO_TODAY, count=14
                )
                if d >= ROOT_CAUSE_HISTORY_FROM
            ]
            if rc.completed_on is None and rc.pk not in current_updates:
                days = [d for d in days if d < CURRENT_SPRINT_END]
        values = _root_cause_values(rc, days, story, rng)
        for day, value in zip(days, values, strict=True):
            measurement_record(by=rc.owner, kpi=kpi, period_end=day, value=value)


STORY_VERDICTS = {"flat": spc.NOT_IMPROVED, "improves": spc.IMPROVED, "worse": spc.CONCERN}


def _root_cause_values(rc, days, story, rng: random.Random) -> list[float]:
    """Plausible values; the story root causes are redrawn until they tell their story."""
    for _attempt in range(200):
        values = _draw(rc, days, story, rng)
        if story is None:
            return values
        change_at = sum(day <= rc.completed_on for day in days)
        if spc.judge_change(values, change_at).verdict == STORY_VERDICTS[story]:
            return values
    raise RuntimeError(f"Could not shape the demo story for {rc.reference}")


def _draw(rc, days, story, rng: random.Random) -> list[float]:
    base = rng.uniform(62, 80)
    sd = rng.uniform(2.5, 4)
    values = []
    for day in days:
        level = base
        closed = rc.completed_on is not None and day > rc.completed_on
        if story == "worse" and closed:
            level = base - 6 * sd
        elif story == "improves" and closed:
            level = base + 3 * sd
        elif story == "flat":
            level = base
        elif closed:
            level = base + 2.5 * sd
        elif day > dt.date(2019, 3, 4):
            level = base + 0.5 * sd  # actions under way
        values.append(min(100.0, round(rng.gauss(level, sd), 1)))
    return values
