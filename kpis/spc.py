"""Statistical process control for KPIs: NHS England's "Making Data Count" XmR charts.

Pure Python, no Django: plain numbers in, a plain result out.

The rules follow the NHS-R community's R package NHSRplotthedots 0.2.2 to the edge, so that a
board member who checks one of our charts against the package sees the same signals. The
precise write-up, with the places implementations usually go wrong, is
docs/spc.md (copied from the programme's shared reference). In short, inside each segment:

* mean of the baseline values; moving ranges between consecutive baseline rows (never across
  a gap); MR-bar, screened once for outliers (an MR is kept only if MR < 3.267 × MR-bar);
* process limits mean ± 2.66 × MR-bar; "near" lines mean ± 2 × (2.66 / 3) × MR-bar;
* four rules, in this order of precedence: a point outside the limits; a trend of 7 points
  strictly rising or falling; 2 of 3 points near a limit on the same side of the mean; a run
  of 7 points on the same side of the mean;
* the variation icon comes from the last point only; the assurance icon compares the target
  with the last point's limits.

`analyse` is the package's `ptd_spc` (and its `summary`); `judge_change` is ours: it says
whether the measurements since a change (a root cause's closure) show special cause against
the process before it, using the package's fixed-baseline and rebasing calculations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# The package's constants (R/ptd_spc_standard.R). 2.66 is exact: not 3 / 1.128.
LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)
OUTLIER_SCREEN = 3.267
MIN_FIXED_BASELINE = 12
# A segment with fewer points than this has "trial limits" (ptd_spc.warning_threshold).
TRIAL_LIMITS_BELOW = 13

INCREASE, DECREASE, NEUTRAL = "increase", "decrease", "neutral"
IMPROVEMENT_DIRECTIONS = (INCREASE, DECREASE, NEUTRAL)

# Point types
COMMON_CAUSE = "common_cause"
SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
SPECIAL_CAUSE_CONCERN = "special_cause_concern"
SPECIAL_CAUSE_NEUTRAL = "special_cause_neutral"

# Variation icons
VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
# Assurance icons
CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT = (
    "consistent_pass",
    "consistent_fail",
    "inconsistent",
)
ASSURANCE_ICONS = (CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT)

# The package's labels for each point (its `special_cause_type`).
ABOVE_UCL, BELOW_LCL = "Above UCL", "Below LCL"
TREND_UP, TREND_DOWN = "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"
TWO_IN_THREE_ABOVE, TWO_IN_THREE_BELOW = "2 in 3 Above CL", "2 in 3 Below CL"
RUN_ABOVE, RUN_BELOW = "7 Points Above CL", "7 Points Below CL"
COMMON_CAUSE_LABEL = "Common Cause"

RULE_BY_LABEL = {
    ABOVE_UCL: "outside_limits",
    BELOW_LCL: "outside_limits",
    TREND_UP: "trend",
    TREND_DOWN: "trend",
    TWO_IN_THREE_ABOVE: "two_in_three",
    TWO_IN_THREE_BELOW: "two_in_three",
    RUN_ABOVE: "run",
    RUN_BELOW: "run",
    COMMON_CAUSE_LABEL: "",
}

# Our own thresholds for judge_change (not the package's): see its docstring.
MIN_POINTS_BEFORE_CHANGE = 6
MIN_POINTS_AFTER_CHANGE = 7


@dataclass(frozen=True)
class Point:
    """One value and what the rules say about it."""

    index: int
    value: float | None
    point_type: str
    label: str
    segment: int
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None

    @property
    def direction(self) -> int:
        """+1 for a special cause above the mean or rising, -1 below or falling, 0 common cause."""
        return _label_direction(self.label)

    @property
    def rule(self) -> str:
        """Which rule made it special cause: outside_limits, trend, two_in_three, run, or ""."""
        return RULE_BY_LABEL[self.label]

    @property
    def is_special_cause(self) -> bool:
        return self.point_type != COMMON_CAUSE


@dataclass(frozen=True)
class Segment:
    """A stretch of the series with its own mean and limits (a new one starts at each rebase)."""

    number: int
    start: int  # index of its first point
    stop: int  # index after its last point
    baseline_rows: int  # rows that fed the mean and MR-bar (a fixed baseline, or all)
    mean: float | None
    mr_bar: float | None
    lower_limit: float | None
    upper_limit: float | None

    @property
    def size(self) -> int:
        return self.stop - self.start

    @property
    def trial_limits(self) -> bool:
        """The package warns that limits from so few points are trial limits."""
        return self.size < TRIAL_LIMITS_BELOW


@dataclass(frozen=True)
class Analysis:
    """The result of `analyse`: lines of the last segment, every point, and the two icons."""

    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    points: tuple[Point, ...]
    segments: tuple[Segment, ...]
    variation: str
    assurance: str | None
    improvement: str
    target: float | None

    @property
    def last_point(self) -> Point:
        return self.points[-1]


def analyse(
    values: Sequence[float | int | Decimal | None],
    *,
    improvement: str = INCREASE,
    target: float | int | Decimal | None = None,
    screen_outliers: bool = True,
    fix_after_n_points: int | None = None,
    rebase_at: Iterable[int] = (),
) -> Analysis:
    """Analyse a series the way NHSRplotthedots 0.2.2 does.

    values: one per period, oldest first; None for a missing period.
    improvement: "increase" (higher is better), "decrease" or "neutral".
    target: optional; gives the assurance icon (never for "neutral").
    screen_outliers: screen moving ranges for outliers before the limits (default, as the package).
    fix_after_n_points: fix the mean and limits on the first n rows of each segment (n ≥ 12).
    rebase_at: 0-based indices where a new segment (own mean and limits) starts.

    Raises ValueError with a plain message for bad input.
    """
    series = _check_values(values)
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}."
        )
    target_f = _check_target(target)
    if not isinstance(screen_outliers, bool):
        raise ValueError(f"screen_outliers must be True or False, not {screen_outliers!r}.")
    if fix_after_n_points is not None:
        if isinstance(fix_after_n_points, bool) or not isinstance(fix_after_n_points, int):
            raise ValueError(
                f"fix_after_n_points must be a whole number of points, not {fix_after_n_points!r}."
            )
        if fix_after_n_points < MIN_FIXED_BASELINE:
            raise ValueError(
                f"fix_after_n_points must be at least {MIN_FIXED_BASELINE} "
                f"(got {fix_after_n_points}): limits fixed on fewer points are not reliable."
            )
    starts = _check_rebase(rebase_at, len(series))
    return _analyse(series, improvement, target_f, screen_outliers, fix_after_n_points, starts)


# --------------------------------------------------------------------------------------------
# Input checks


def _check_values(values) -> list[float | None]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | Iterable):
        raise ValueError("values must be a list of numbers (None for a missing period).")
    series: list[float | None] = []
    for position, value in enumerate(values):
        if value is None:
            series.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
            raise ValueError(
                f"values[{position}] is {value!r}, which is not a number "
                "(use None for a missing period)."
            )
        number = float(value)
        if math.isnan(number):
            raise ValueError(f"values[{position}] is NaN: use None for a missing period.")
        if math.isinf(number):
            raise ValueError(f"values[{position}] is infinite, which is not a measurement.")
        series.append(number)
    if not series:
        raise ValueError("There are no values to analyse.")
    if all(value is None for value in series):
        raise ValueError("There are no values to analyse: every period is missing.")
    return series


def _check_target(target) -> float | None:
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, int | float | Decimal | Fraction):
        raise ValueError(f"target must be a number or None, not {target!r}.")
    number = float(target)
    if not math.isfinite(number):
        raise ValueError(f"target must be a finite number, not {target!r}.")
    return number


def _check_rebase(rebase_at, length: int) -> list[int]:
    if isinstance(rebase_at, str | bytes):
        raise ValueError("rebase_at must be a list of point indices.")
    try:
        indices = list(rebase_at)
    except TypeError as exc:
        raise ValueError("rebase_at must be a list of point indices.") from exc
    for index in indices:
        if isinstance(index, bool) or not isinstance(index, int):
            raise ValueError(f"rebase_at holds {index!r}, which is not a point index.")
        if not 0 <= index < length:
            raise ValueError(
                f"rebase_at holds {index}, but the points are numbered 0 to {length - 1}."
            )
    # A segment always starts at 0; a rebase at 0 changes nothing (as in the package).
    return sorted(set(indices) | {0})


# --------------------------------------------------------------------------------------------
# The calculation


def _mean(numbers: list[float]) -> float | None:
    # R's mean() is (almost always) the correctly rounded mean; fsum is exact before dividing.
    return math.fsum(numbers) / len(numbers) if numbers else None


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _analyse(
    series: list[float | None],
    improvement: str,
    target: float | None,
    screen_outliers: bool,
    fixed_rows: int | None,
    starts: list[int],
) -> Analysis:
    """The calculation itself, on checked input. `fixed_rows` is not range-checked here."""
    bounds = [*starts, len(series)]
    points: list[Point] = []
    segments: list[Segment] = []
    for number, (start, stop) in enumerate(zip(bounds, bounds[1:], strict=False)):
        segment, labels = _segment(series, start, stop, number, screen_outliers, fixed_rows)
        segments.append(segment)
        for offset, label in enumerate(labels):
            index = start + offset
            points.append(
                Point(
                    index=index,
                    value=series[index],
                    point_type=_point_type(label, improvement),
                    label=label,
                    segment=number,
                    mean=segment.mean,
                    lower_limit=segment.lower_limit,
                    upper_limit=segment.upper_limit,
                )
            )
    last = segments[-1]
    return Analysis(
        mean=last.mean,
        lower_limit=last.lower_limit,
        upper_limit=last.upper_limit,
        points=tuple(points),
        segments=tuple(segments),
        variation=_variation(points[-1], improvement),
        assurance=_assurance(target, improvement, last),
        improvement=improvement,
        target=target,
    )


def _segment(
    series: list[float | None],
    start: int,
    stop: int,
    number: int,
    screen_outliers: bool,
    fixed_rows: int | None,
) -> tuple[Segment, list[str]]:
    y = series[start:stop]
    n = len(y)
    # The baseline counts rows, so a missing value still takes its place in it.
    baseline_rows = n if fixed_rows is None else min(fixed_rows, n)
    base = y[:baseline_rows]
    mean = _mean([v for v in base if v is not None])
    moving_ranges = [
        abs(base[i] - base[i - 1])
        for i in range(1, baseline_rows)
        if base[i] is not None and base[i - 1] is not None
    ]
    mr_bar = _mean(moving_ranges)
    if screen_outliers and mr_bar is not None:
        # One pass; the threshold uses the unscreened MR-bar; strict "<"; only MR-bar changes.
        threshold = OUTLIER_SCREEN * mr_bar
        mr_bar = _mean([mr for mr in moving_ranges if mr < threshold])
    if mean is None or mr_bar is None:
        # The package gives NaN limits (e.g. every MR is 0 and screened out).
        lpl = upl = near_low = near_high = None
    else:
        lpl, upl = mean - (LIMIT * mr_bar), mean + (LIMIT * mr_bar)
        near_low, near_high = mean - (LIMIT_CLOSE * mr_bar), mean + (LIMIT_CLOSE * mr_bar)

    # Per-point facts; None where the package has NA.
    outside: list[bool | None] = []
    close: list[bool | None] = []
    side: list[int | None] = []
    for v in y:
        if v is None or lpl is None:
            outside.append(None)
            close.append(None)
        else:
            out = v > upl or v < lpl
            outside.append(out)
            close.append(not out and (v < near_low or v > near_high))
        side.append(None if v is None or mean is None else _sign(v - mean))

    in_trend = _flag_windows(_trend_windows(y), n)
    in_run = _flag_windows(_run_windows(side), n)
    in_two_of_three = _two_in_three(close, side)

    labels = []
    for i in range(n):
        if outside[i]:
            labels.append(ABOVE_UCL if side[i] == 1 else BELOW_LCL)
        elif in_trend[i]:
            labels.append(TREND_UP if _trend_sign(y, in_trend, i) == 1 else TREND_DOWN)
        elif in_two_of_three[i]:
            labels.append(TWO_IN_THREE_ABOVE if side[i] > 0 else TWO_IN_THREE_BELOW)
        elif in_run[i]:
            labels.append(RUN_ABOVE if side[i] > 0 else RUN_BELOW)
        else:
            labels.append(COMMON_CAUSE_LABEL)
    segment = Segment(
        number=number,
        start=start,
        stop=stop,
        baseline_rows=baseline_rows,
        mean=mean,
        mr_bar=mr_bar,
        lower_limit=lpl,
        upper_limit=upl,
    )
    return segment, labels


def _trend_windows(y: list[float | None]) -> list[bool]:
    """fires[j]: the 7 points ending at j rise strictly or fall strictly (6 differences).

    A tie breaks a trend. A window holding a missing value cannot fire. (The package calls
    `if()` on NA there and stops with an error whenever the other differences all point one
    way; where it does not stop, the window does not fire. We do the sensible thing always.)
    """
    fires = [False] * len(y)
    for j in range(6, len(y)):
        window = y[j - 6 : j + 1]
        if any(v is None for v in window):
            continue
        signs = {_sign(window[k + 1] - window[k]) for k in range(6)}
        fires[j] = signs == {1} or signs == {-1}
    return fires


def _run_windows(side: list[int | None]) -> list[bool]:
    """fires[j]: the 7 points ending at j are all above, or all below, the mean.

    A point exactly on the mean (side 0) breaks a run, as does a missing value.
    """
    fires = [False] * len(side)
    for j in range(6, len(side)):
        window = side[j - 6 : j + 1]
        first = window[0]
        fires[j] = first in (1, -1) and all(s == first for s in window)
    return fires


def _flag_windows(fires: list[bool], n: int) -> list[bool]:
    """Every point of every 7-point window that fires (window ending at j covers j-6..j)."""
    flagged = [False] * n
    for j, fired in enumerate(fires):
        if fired:
            for i in range(j - 6, j + 1):
                flagged[i] = True
    return flagged


def _trend_sign(y: list[float | None], in_trend: list[bool], i: int) -> int:
    """The direction the package gives a trend point: forward if the next point is also a
    trend point, else backward. (0 reads as "Decreasing", as in the package.)"""
    if i + 1 < len(y) and in_trend[i + 1]:
        return _sign(y[i + 1] - y[i])
    if i == 0:
        return 0
    return _sign(y[i] - y[i - 1])


def _two_in_three(close: list[bool | None], side: list[int | None]) -> list[bool]:
    """A near point in a window of 3 (wholly inside the segment) with ≥2 near points, all 3 on
    the same side of the mean. Points beyond a limit are not "near"; the third point is not
    flagged; a window with a missing value cannot fire."""
    n = len(close)
    fires = [False] * n  # by the window's first index
    for k in range(n - 2):
        near = close[k : k + 3]
        sides = side[k : k + 3]
        if any(c is None for c in near) or any(s is None for s in sides):
            continue
        fires[k] = sum(near) >= 2 and abs(sum(sides)) == 3
    flagged = [False] * n
    for i in range(n):
        if close[i]:
            flagged[i] = any(fires[k] for k in range(max(0, i - 2), min(i, n - 3) + 1))
    return flagged


def _label_direction(label: str) -> int:
    if "Above" in label or "Increasing" in label:
        return 1
    if "Below" in label or "Decreasing" in label:
        return -1
    return 0


def _point_type(label: str, improvement: str) -> str:
    direction = _label_direction(label)
    if direction == 0:
        return COMMON_CAUSE
    if improvement == NEUTRAL:
        return SPECIAL_CAUSE_NEUTRAL
    if improvement == DECREASE:
        direction = -direction
    return SPECIAL_CAUSE_IMPROVEMENT if direction > 0 else SPECIAL_CAUSE_CONCERN


def _variation(last: Point, improvement: str) -> str:
    """The variation icon: from the last point only."""
    if last.point_type == COMMON_CAUSE:
        return "common_cause"
    if last.point_type == SPECIAL_CAUSE_NEUTRAL:
        return "neutral_high" if last.direction > 0 else "neutral_low"
    high = "high" if improvement == INCREASE else "low"
    low = "low" if improvement == INCREASE else "high"
    if last.point_type == SPECIAL_CAUSE_IMPROVEMENT:
        return f"improvement_{high}"
    return f"concern_{low}"


def _assurance(target: float | None, improvement: str, last: Segment) -> str | None:
    """The assurance icon: the target against the last segment's limits (strictly)."""
    if target is None or improvement == NEUTRAL:
        return None
    increasing = improvement == INCREASE
    if last.upper_limit is not None and target > last.upper_limit:
        return CONSISTENT_FAIL if increasing else CONSISTENT_PASS
    if last.lower_limit is not None and target < last.lower_limit:
        return CONSISTENT_PASS if increasing else CONSISTENT_FAIL
    return INCONSISTENT


# --------------------------------------------------------------------------------------------
# Did a change work? (ours, built on the package's calculations)

IMPROVED = "improved"
CONCERN = "concern"
NOT_IMPROVED = "not_improved"
TOO_EARLY = "too_early"
TOO_LITTLE_BEFORE = "too_little_before"
NO_DIRECTION = "no_direction"

VERDICTS = {
    IMPROVED: "Improved since the change",
    CONCERN: "Special-cause concern since the change",
    NOT_IMPROVED: "No improvement shown since the change",
    TOO_EARLY: "Not enough data yet",
    TOO_LITTLE_BEFORE: "Not enough data before the change to judge",
    NO_DIRECTION: "Monitored only: no direction of improvement",
}


@dataclass(frozen=True)
class ChangeJudgement:
    """What the measurements since a change say, against the process before it."""

    verdict: str
    change_at: int
    points_before: int
    points_after: int
    against_before: Analysis  # mean and limits fixed on the points before the change
    rebased: Analysis  # a new segment from the change: the new level beside the old
    trial_limits: bool  # fewer than 12 points before the change

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def needs_watching(self) -> bool:
        """Belongs on the sustainability watch list."""
        return self.verdict in (CONCERN, NOT_IMPROVED)


def judge_change(
    values: Sequence[float | int | Decimal | None],
    change_at: int,
    *,
    improvement: str = INCREASE,
    target: float | int | Decimal | None = None,
    screen_outliers: bool = True,
    min_before: int = MIN_POINTS_BEFORE_CHANGE,
    min_after: int = MIN_POINTS_AFTER_CHANGE,
) -> ChangeJudgement:
    """Did the process change for the better from `change_at` (e.g. a root cause's closure)?

    The points after the change are judged by all four rules against the mean and limits of
    the points before it: the package's fixed baseline, with the baseline ending at the
    change. (The package insists on a fixed baseline of 12 or more points; a root cause's KPI
    often starts a few months before the plan, so we accept `min_before` points and report
    `trial_limits`.) `rebased` gives the new level (mean since the change) beside the old.

    Verdicts:
    * concern: the latest special-cause point since the change is a concern against the old
      process, or the latest point is special-cause concern within the rebased segment
      (slipping back from the new level);
    * improved: otherwise, the latest special-cause point since the change is an
      improvement against the old process;
    * not_improved: no special cause, with at least `min_after` points since the change;
    * too_early: no special cause yet, fewer than `min_after` points since the change. The
      run and trend rules need 7 points, so before 7 points a steady improvement can not show
      yet: we wait rather than call it a failure. A concern shows at once;
    * too_little_before: fewer than `min_before` values before the change;
    * no_direction: a neutral KPI has no better or worse.
    """
    series = _check_values(values)
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}."
        )
    if isinstance(change_at, bool) or not isinstance(change_at, int):
        raise ValueError(f"change_at must be a point index, not {change_at!r}.")
    if not 0 <= change_at <= len(series):
        raise ValueError(f"change_at must be between 0 and {len(series)}, not {change_at}.")
    before = sum(v is not None for v in series[:change_at])
    after = sum(v is not None for v in series[change_at:])
    target_f = _check_target(target)
    against_before = _analyse(
        series, improvement, target_f, screen_outliers, max(change_at, 1), [0]
    )
    rebased = _analyse(
        series,
        improvement,
        target_f,
        screen_outliers,
        None,
        sorted({0, change_at} - {len(series)}),
    )
    special_since = [p for p in against_before.points[change_at:] if p.is_special_cause]
    slipping_back = after > 0 and rebased.last_point.point_type == SPECIAL_CAUSE_CONCERN
    if improvement == NEUTRAL:
        verdict = NO_DIRECTION
    elif before < min_before:
        verdict = TOO_LITTLE_BEFORE
    elif slipping_back or (special_since and special_since[-1].point_type == SPECIAL_CAUSE_CONCERN):
        verdict = CONCERN
    elif special_since:
        verdict = IMPROVED
    elif after >= min_after:
        verdict = NOT_IMPROVED
    else:
        verdict = TOO_EARLY
    return ChangeJudgement(
        verdict=verdict,
        change_at=change_at,
        points_before=before,
        points_after=after,
        against_before=against_before,
        rebased=rebased,
        trial_limits=before < MIN_FIXED_BASELINE,
    )
