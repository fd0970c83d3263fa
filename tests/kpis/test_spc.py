"""kpis/spc.py against series worked out by hand (docs/spc.md: NHSRplotthedots 0.2.2).

Most tests put a fixed baseline of 12 points in front of the points under test, so that the
mean and limits are easy to work out and do not move with the points being tested:

    BASE = [11, 10] * 6   mean 10.5, every moving range 1, so MR-bar = 1
    process limits 10.5 ± 2.66        = 7.84 .. 13.16
    "near" lines   10.5 ± 2 × 2.66/3  = 8.7267 .. 12.2733

WIDE = [0, 40] * 6 gives mean 20 and MR-bar 40: limits -86.4 .. 126.4, so nothing in 0–60
is outside or near, and only trends and runs can fire.
"""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis import spc
from kpis.spc import (
    ABOVE_UCL,
    BELOW_LCL,
    COMMON_CAUSE_LABEL,
    RUN_ABOVE,
    RUN_BELOW,
    TREND_DOWN,
    TREND_UP,
    TWO_IN_THREE_ABOVE,
    TWO_IN_THREE_BELOW,
    analyse,
    judge_change,
)

BASE = [11, 10] * 6
MEAN, MR_BAR = 10.5, 1.0
UPL, LPL = MEAN + 2.66 * MR_BAR, MEAN - 2.66 * MR_BAR
WIDE = [0, 40] * 6
CC = COMMON_CAUSE_LABEL


def after_base(points, base=BASE, **kwargs):
    """Analyse BASE + points with the baseline fixed on BASE; return the labels of `points`."""
    result = analyse([*base, *points], fix_after_n_points=len(base), **kwargs)
    return [p.label for p in result.points[len(base) :]]


def types(result):
    return [p.point_type for p in result.points]


# ---------------------------------------------------------------------------------------------
# Centre line and limits


def test_limits_are_mean_plus_or_minus_2_66_mr_bar():
    result = analyse(BASE)
    assert result.mean == 10.5
    assert result.segments[0].mr_bar == 1.0
    assert result.upper_limit == 10.5 + 2.66
    assert result.lower_limit == 10.5 - 2.66
    # Not 3 sigma with sigma = MR-bar / 1.128 (that would be 2.6596)
    assert result.upper_limit != pytest.approx(10.5 + 3 / 1.128, abs=1e-6)


def test_mr_bar_is_the_mean_of_the_n_minus_1_moving_ranges():
    # MRs 2, 1, 4: MR-bar 7/3 (not 7/4); mean 3
    result = analyse([1, 3, 2, 6], screen_outliers=False)
    assert result.mean == 3
    assert result.segments[0].mr_bar == pytest.approx(7 / 3)
    assert result.upper_limit == pytest.approx(3 + 2.66 * 7 / 3)


def test_near_lines_are_two_thirds_of_the_way_to_the_limits():
    # near line = 10.5 + 2 × (2.66/3) = 12.2733…: 12.27 is not near, 12.28 is (2 of 3 fires)
    assert after_base([12.27, 11, 12.27]) == [CC, CC, CC]
    assert after_base([12.28, 11, 12.28]) == [TWO_IN_THREE_ABOVE, CC, TWO_IN_THREE_ABOVE]


# ---------------------------------------------------------------------------------------------
# Outlier screening


SPIKY = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
# MRs: ten of 1 and one of 20. Unscreened MR-bar 30/11 = 2.73; 20 ≥ 3.267 × 2.73 = 8.91, so
# screening drops it: MR-bar 1. The mean is not screened: 145/12 = 12.083.


def test_screening_drops_a_large_moving_range_but_not_the_point():
    result = analyse(SPIKY)
    assert result.segments[0].mr_bar == 1.0
    assert result.mean == pytest.approx(145 / 12)
    assert result.upper_limit == pytest.approx(145 / 12 + 2.66)
    assert result.points[-1].label == ABOVE_UCL


def test_screening_is_on_by_default_and_can_be_turned_off():
    assert (
        analyse(SPIKY).segments[0].mr_bar == analyse(SPIKY, screen_outliers=True).segments[0].mr_bar
    )
    unscreened = analyse(SPIKY, screen_outliers=False)
    assert unscreened.segments[0].mr_bar == pytest.approx(30 / 11)
    assert unscreened.upper_limit == pytest.approx(145 / 12 + 2.66 * 30 / 11)


def test_screening_keeps_a_moving_range_only_if_strictly_below_the_threshold():
    # MRs 244, 244, 245, 3267: mean exactly 1000, so the threshold is 3.267 × 1000 = 3267.
    values = [0, 244, 0, 245, 3512]
    assert spc.OUTLIER_SCREEN * 1000.0 == 3267.0
    result = analyse(values)
    # 3267 < 3267 is false: screened, MR-bar = 733 / 3 (with "<=" it would stay 1000)
    assert result.segments[0].mr_bar == pytest.approx(733 / 3)
    assert analyse(values, screen_outliers=False).segments[0].mr_bar == 1000.0


def test_screening_is_one_pass_with_the_unscreened_threshold():
    # MRs: ten of 1, one of 5, one of 100. Unscreened MR-bar 115/12 = 9.58, threshold 31.3:
    # only 100 goes. A second pass (MR-bar 15/11, threshold 4.46) would drop 5 too.
    values = [0, 1] * 5 + [0, 5, 105]
    mrs = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    assert sorted(mrs) == [1] * 10 + [5, 100]
    result = analyse(values)
    assert result.segments[0].mr_bar == pytest.approx(15 / 11)


def test_constant_series_has_no_limits_when_screening_and_limits_on_the_mean_when_not():
    screened = analyse([5] * 10)
    assert (screened.mean, screened.lower_limit, screened.upper_limit) == (5.0, None, None)
    assert screened.points[0].upper_limit is None
    assert set(types(screened)) == {"common_cause"}
    assert screened.variation == "common_cause"
    plain = analyse([5] * 10, screen_outliers=False)
    assert (plain.mean, plain.lower_limit, plain.upper_limit) == (5.0, 5.0, 5.0)
    assert set(types(plain)) == {"common_cause"}


# ---------------------------------------------------------------------------------------------
# Rule 1: outside the limits


def test_a_point_exactly_on_the_upper_limit_is_not_outside():
    assert after_base([UPL]) == [CC]
    assert after_base([math.nextafter(UPL, math.inf)]) == [ABOVE_UCL]


def test_a_point_exactly_on_the_lower_limit_is_not_outside():
    assert after_base([LPL]) == [CC]
    assert after_base([math.nextafter(LPL, -math.inf)]) == [BELOW_LCL]


def test_outside_points_are_improvement_or_concern_by_direction():
    result = analyse([*BASE, 14, 7], fix_after_n_points=12)
    assert types(result)[-2:] == ["special_cause_improvement", "special_cause_concern"]
    result = analyse([*BASE, 14, 7], fix_after_n_points=12, improvement="decrease")
    assert types(result)[-2:] == ["special_cause_concern", "special_cause_improvement"]


# ---------------------------------------------------------------------------------------------
# Rule 2: a trend of seven


def test_seven_rising_points_are_a_trend_and_six_are_not():
    # WIDE's mean is 20: the point on it keeps these from being a run as well.
    assert after_base([14, 16, 18, 20, 22, 24, 26], base=WIDE) == [TREND_UP] * 7
    assert after_base([14, 16, 18, 20, 22, 24, 23], base=WIDE) == [CC] * 7


def test_a_trend_may_cross_the_mean():
    rising = [14, 16, 18, 20, 22, 24, 26]  # WIDE's mean is 20
    assert after_base(rising, base=WIDE) == [TREND_UP] * 7
    falling = [26, 24, 22, 20, 18, 16, 14]
    assert after_base(falling, base=WIDE) == [TREND_DOWN] * 7


def test_equal_neighbours_break_a_trend():
    assert after_base([14, 16, 18, 18, 20, 22, 24, 26], base=WIDE) == [CC] * 8


def test_every_point_of_a_long_trend_is_flagged():
    assert after_base([1, 2, 3, 4, 5, 6, 7, 8, 9], base=WIDE) == [TREND_UP] * 9


def test_a_falling_trend_above_the_mean_is_a_concern_when_higher_is_better():
    # Also seven above the mean (a run, which would be improvement): the trend wins.
    result = analyse([*WIDE, 40, 38, 36, 34, 32, 30, 28], fix_after_n_points=12)
    assert [p.label for p in result.points[12:]] == [TREND_DOWN] * 7
    assert set(types(result)[12:]) == {"special_cause_concern"}
    assert result.variation == "concern_low"


def test_trend_direction_where_a_rise_meets_a_fall():
    # Rise 14→26 (points 0–6) and fall 26→14 (points 6–12) share the peak.
    labels = after_base([14, 16, 18, 20, 22, 24, 26, 24, 22, 20, 18, 16, 14], base=WIDE)
    assert labels[:6] == [TREND_UP] * 6
    assert labels[6] == TREND_DOWN  # the peak takes the direction of the fall
    assert labels[7:] == [TREND_DOWN] * 6


def test_a_shared_trough_is_labelled_increasing():
    labels = after_base([26, 24, 22, 20, 18, 16, 14, 16, 18, 20, 22, 24, 26], base=WIDE)
    assert labels[:6] == [TREND_DOWN] * 6
    assert labels[6] == TREND_UP
    assert labels[7:] == [TREND_UP] * 6


def test_a_rise_ending_on_a_repeated_value_that_starts_a_fall_ends_decreasing():
    # The package's quirk: the last point of the rise has a zero forward difference.
    labels = after_base([14, 16, 18, 20, 22, 24, 26, 26, 24, 22, 20, 18, 16, 14], base=WIDE)
    assert labels[:6] == [TREND_UP] * 6
    assert labels[6] == TREND_DOWN
    assert labels[7:] == [TREND_DOWN] * 7


# ---------------------------------------------------------------------------------------------
# Rule 3: two of three near a limit


def test_two_of_three_near_the_upper_limit_flags_only_the_near_points():
    assert after_base([12.5, 11, 12.5]) == [TWO_IN_THREE_ABOVE, CC, TWO_IN_THREE_ABOVE]


def test_two_of_three_below():
    result = analyse([*BASE, 8.5, 10, 8.5], fix_after_n_points=12)
    assert [p.label for p in result.points[12:]] == [TWO_IN_THREE_BELOW, CC, TWO_IN_THREE_BELOW]
    assert types(result)[12] == "special_cause_concern"


def test_one_near_point_in_three_does_not_fire():
    assert after_base([12.5, 11, 11]) == [CC, CC, CC]


def test_two_of_three_needs_the_third_point_on_the_same_side():
    assert after_base([12.5, 10, 12.5]) == [CC, CC, CC]  # third point below the mean
    assert after_base([12.5, 10.5, 12.5]) == [CC, CC, CC]  # third point on the mean


def test_a_point_beyond_the_limit_is_not_near():
    # Western Electric would flag 12.5 here; the package does not.
    assert after_base([12.5, 14, 11]) == [CC, ABOVE_UCL, CC]


def test_a_point_exactly_on_the_limit_counts_as_near():
    assert after_base([UPL, 11, 12.5]) == [TWO_IN_THREE_ABOVE, CC, TWO_IN_THREE_ABOVE]


def test_two_near_points_between_points_on_the_other_side_do_not_fire():
    assert after_base([10, 12.5, 12.5, 10]) == [CC] * 4


def test_windows_never_hang_over_the_end():
    # The last two points are near and above, the one before is below: no whole window fires.
    assert after_base([10, 12.5, 12.5]) == [CC] * 3


# ---------------------------------------------------------------------------------------------
# Rule 4: a run of seven on one side of the mean


def test_seven_points_above_the_mean_are_a_run_and_six_are_not():
    # BASE ends below the mean, so the run starts with the first point after it.
    assert after_base([11, 12, 11, 12, 11, 12, 11]) == [RUN_ABOVE] * 7
    assert after_base([11, 12, 11, 12, 11, 12, 10]) == [CC] * 7


def test_a_point_on_the_mean_breaks_a_run():
    assert after_base([11, 12, 11, 10.5, 12, 11, 12, 11]) == [CC] * 8


def test_every_point_of_a_long_run_is_flagged():
    assert after_base([11, 12] * 6) == [RUN_ABOVE] * 12


def test_a_run_below_the_mean_is_improvement_when_lower_is_better():
    result = analyse(
        [*BASE, 10, 9, 10, 9, 10, 9, 10], fix_after_n_points=12, improvement="decrease"
    )
    assert [p.label for p in result.points[12:]] == [RUN_BELOW] * 7
    assert set(types(result)[12:]) == {"special_cause_improvement"}
    assert result.variation == "improvement_low"


# ---------------------------------------------------------------------------------------------
# Precedence: outside > trend > two of three > run


def test_a_trend_above_the_mean_is_labelled_trend_not_run():
    assert after_base([21, 22, 23, 24, 25, 26, 27], base=WIDE) == [TREND_UP] * 7


def test_the_last_point_of_a_trend_beyond_the_limit_is_labelled_outside():
    labels = after_base([9, 9.5, 10, 10.5, 11, 11.5, 14])
    assert labels == [TREND_UP] * 6 + [ABOVE_UCL]


def test_near_points_in_a_trend_are_labelled_trend():
    labels = after_base([9, 10, 11, 11.5, 12, 12.5, 13])
    assert labels == [TREND_UP] * 7


def test_near_points_in_a_run_are_labelled_two_in_three():
    labels = after_base([11, 12.5, 11, 12.5, 11, 12, 11])
    assert (
        labels == [RUN_ABOVE, TWO_IN_THREE_ABOVE, RUN_ABOVE, TWO_IN_THREE_ABOVE] + [RUN_ABOVE] * 3
    )


# ---------------------------------------------------------------------------------------------
# Fixed baseline


def test_fixed_baseline_uses_only_the_first_n_points_for_mean_and_mr_bar():
    values = [*BASE, 20, 20.5, 20]
    fixed = analyse(values, fix_after_n_points=12, screen_outliers=False)
    # The moving range from point 12 to 13 (10 → 20) is not in the baseline.
    assert (fixed.mean, fixed.segments[0].mr_bar) == (10.5, 1.0)
    assert fixed.upper_limit == UPL
    assert [p.label for p in fixed.points[12:]] == [ABOVE_UCL] * 3
    assert fixed.points[14].upper_limit == UPL
    unfixed = analyse(values, screen_outliers=False)
    assert unfixed.mean == pytest.approx((10.5 * 12 + 60.5) / 15)


def test_fixed_baseline_longer_than_the_series_uses_every_point():
    values = [*BASE, 12]
    assert analyse(values, fix_after_n_points=40) == analyse(values)


def test_fixed_baseline_counts_rows_including_missing_ones():
    values = [11, None, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    result = analyse(values, fix_after_n_points=12)
    # 11 values in the first 12 rows: six 11s... (11×5 + 10×5 + 11) / 11
    assert result.mean == pytest.approx((11 * 6 + 10 * 5) / 11)
    assert result.segments[0].baseline_rows == 12
    assert result.points[-1].label == ABOVE_UCL


def test_fixed_baseline_must_be_at_least_12():
    analyse(BASE, fix_after_n_points=12)
    with pytest.raises(ValueError, match="at least 12"):
        analyse(BASE, fix_after_n_points=11)
    with pytest.raises(ValueError, match="whole number"):
        analyse(BASE, fix_after_n_points=12.5)


def test_fixed_baseline_is_off_by_default():
    values = [*BASE, 20, 20]
    assert analyse(values).mean == analyse(values, fix_after_n_points=None).mean != 10.5


# ---------------------------------------------------------------------------------------------
# Rebasing


def test_each_segment_has_its_own_mean_and_limits():
    values = [*BASE, *[v + 10 for v in BASE]]
    result = analyse(values, rebase_at=[12])
    assert [s.mean for s in result.segments] == [10.5, 20.5]
    assert result.points[0].mean == 10.5 and result.points[12].mean == 20.5
    # Without rebasing every point of the second half would be a run above the mean.
    assert set(types(result)) == {"common_cause"}
    assert set(types(analyse(values))) != {"common_cause"}
    # The result's lines are the last segment's.
    assert (result.mean, result.upper_limit) == (20.5, 20.5 + 2.66)
    # The moving range across the boundary (10 → 21) is in neither segment.
    assert result.segments[1].mr_bar == 1.0


def test_rules_do_not_look_across_a_rebase():
    # Four points above the first segment's mean, then three above the second's: seven in a
    # row across the boundary, but no run.
    second = [11, 12, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10]  # mean 128/12 = 10.67
    values = [*BASE, 11, 12, 11, 12, *second]
    rebased = analyse(values, rebase_at=[16], fix_after_n_points=12)
    assert rebased.segments[1].mean == pytest.approx(128 / 12)
    assert [p.label for p in rebased.points[12:19]] == [CC] * 7
    # The same seven in one segment are a run.
    single = analyse(values, fix_after_n_points=12)
    assert [p.label for p in single.points[12:19]] == [RUN_ABOVE] * 7


def test_the_fixed_baseline_restarts_in_each_segment():
    second = [21, 20] * 6 + [40]
    result = analyse([*BASE, 30, *second], rebase_at=[13], fix_after_n_points=12)
    assert result.segments[0].mean == 10.5
    assert result.segments[1].mean == 20.5  # from its own first 12 points, not the 40
    assert result.points[-1].label == ABOVE_UCL


def test_assurance_uses_the_last_segment():
    values = [*BASE, *[v + 10 for v in BASE]]
    assert analyse(values, target=15, rebase_at=[12]).assurance == "consistent_pass"
    assert analyse(BASE, target=15).assurance == "consistent_fail"


def test_rebase_at_zero_changes_nothing_and_out_of_range_is_refused():
    assert analyse(BASE, rebase_at=[0]) == analyse(BASE)
    with pytest.raises(ValueError, match="numbered 0 to 11"):
        analyse(BASE, rebase_at=[12])
    with pytest.raises(ValueError, match="not a point index"):
        analyse(BASE, rebase_at=["3"])


# ---------------------------------------------------------------------------------------------
# Variation icons: from the last point only


@pytest.mark.parametrize(
    ("last", "improvement", "icon"),
    [
        (11, "increase", "common_cause"),
        (14, "increase", "improvement_high"),
        (7, "increase", "concern_low"),
        (7, "decrease", "improvement_low"),
        (14, "decrease", "concern_high"),
        (14, "neutral", "neutral_high"),
        (7, "neutral", "neutral_low"),
    ],
)
def test_variation_icon(last, improvement, icon):
    result = analyse([*BASE, last], fix_after_n_points=12, improvement=improvement)
    assert result.variation == icon


def test_neutral_points_are_special_cause_neutral_with_the_packages_label():
    result = analyse([*BASE, 14, 7], fix_after_n_points=12, improvement="neutral")
    assert types(result)[-2:] == ["special_cause_neutral", "special_cause_neutral"]
    assert [p.label for p in result.points[-2:]] == [ABOVE_UCL, BELOW_LCL]
    assert [p.direction for p in result.points[-2:]] == [1, -1]


def test_an_earlier_special_cause_does_not_set_the_icon():
    result = analyse([*BASE, 14, 11, 10], fix_after_n_points=12)
    assert result.points[12].point_type == "special_cause_improvement"
    assert result.variation == "common_cause"


def test_a_missing_last_value_gives_common_cause():
    result = analyse([*BASE, 14, None], fix_after_n_points=12)
    assert result.points[12].label == ABOVE_UCL
    assert result.points[13].point_type == "common_cause"
    assert result.variation == "common_cause"


# ---------------------------------------------------------------------------------------------
# Assurance icons: the target against the last limits (7.84 .. 13.16 for BASE)


@pytest.mark.parametrize(
    ("target", "improvement", "icon"),
    [
        (14, "increase", "consistent_fail"),
        (7, "increase", "consistent_pass"),
        (10, "increase", "inconsistent"),
        (UPL, "increase", "inconsistent"),  # exactly on a limit
        (LPL, "increase", "inconsistent"),
        (14, "decrease", "consistent_pass"),
        (7, "decrease", "consistent_fail"),
        (12, "decrease", "inconsistent"),
        (UPL, "decrease", "inconsistent"),
        (14, "neutral", None),  # never for neutral, even with a target
        (None, "increase", None),
    ],
)
def test_assurance_icon(target, improvement, icon):
    assert analyse(BASE, target=target, improvement=improvement).assurance == icon


def test_assurance_with_no_limits_is_inconsistent():
    assert analyse([5] * 12, target=100).assurance == "inconsistent"


def test_assurance_with_a_fixed_baseline_uses_the_fixed_limits():
    # Unfixed, the 20s would widen the limits past 14.
    values = [*BASE, 20, 20, 20]
    assert analyse(values, fix_after_n_points=12, target=14).assurance == "consistent_fail"
    assert analyse(values, target=14).assurance == "inconsistent"


# ---------------------------------------------------------------------------------------------
# Missing values


def test_missing_values_are_left_out_of_the_mean_and_moving_ranges():
    result = analyse([10, None, 20, 10, 20], screen_outliers=False)
    assert result.mean == 15
    # Only 20→10 and 10→20: no range is taken across the gap.
    assert result.segments[0].mr_bar == 10
    assert result.points[1].value is None
    assert result.points[1].point_type == "common_cause"


def test_a_missing_value_breaks_a_run():
    assert after_base([11, 12, 11, None, 12, 11, 12, 11]) == [CC] * 8


def test_a_missing_value_breaks_a_trend():
    # The package stops with an error here; the window simply cannot fire.
    assert after_base([14, 16, 18, None, 22, 24, 26, 28], base=WIDE) == [CC] * 8


def test_a_missing_value_breaks_two_of_three():
    assert after_base([12.5, None, 12.5]) == [CC] * 3


def test_a_single_value_has_a_mean_but_no_limits():
    result = analyse([42])
    assert (result.mean, result.lower_limit, result.upper_limit) == (42, None, None)
    assert result.variation == "common_cause"


def test_two_values_have_limits():
    result = analyse([10, 12])
    assert (result.lower_limit, result.upper_limit) == (11 - 5.32, 11 + 5.32)


def test_decimals_are_accepted():
    assert analyse([Decimal("10.5"), Decimal("11.5")]).mean == 11.0


def test_short_segments_have_trial_limits():
    assert analyse(BASE).segments[0].trial_limits
    assert not analyse([*BASE, 11]).segments[0].trial_limits


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": []}, "no values"),
        ({"values": [None, None]}, "every period is missing"),
        ({"values": [1, "abc"]}, "'abc', which is not a number"),
        ({"values": [1, float("nan")]}, "NaN"),
        ({"values": [1, float("inf")]}, "infinite"),
        ({"values": [1, True]}, "not a number"),
        ({"values": "12345"}, "list of numbers"),
        ({"values": [1, 2], "improvement": "up"}, "'increase', 'decrease' or 'neutral'"),
        ({"values": [1, 2], "target": "95"}, "target must be a number"),
        ({"values": [1, 2], "target": float("nan")}, "finite"),
        ({"values": [1, 2], "screen_outliers": "yes"}, "True or False"),
        ({"values": [1, 2], "fix_after_n_points": 6}, "at least 12"),
        ({"values": [1, 2], "rebase_at": [5]}, "numbered 0 to 1"),
    ],
)
def test_bad_input_raises_value_error(kwargs, message):
    values = kwargs.pop("values")
    with pytest.raises(ValueError, match=message):
        analyse(values, **kwargs)


# ---------------------------------------------------------------------------------------------
# Properties


numbers = st.integers(min_value=-1000, max_value=1000)


@given(st.integers(min_value=1, max_value=60), numbers, st.booleans())
def test_a_constant_series_has_no_special_cause(length, value, screen):
    result = analyse([value] * length, screen_outliers=screen)
    assert {p.point_type for p in result.points} == {"common_cause"}
    assert result.variation == "common_cause"


@given(st.lists(st.one_of(numbers, st.none()), min_size=1, max_size=60).filter(any))
def test_mirroring_the_series_swaps_increase_and_decrease(values):
    values = [v if v is None else v / 4 for v in values]  # quarters are exact
    mirrored = [None if v is None else -v for v in values]
    up = analyse(values, improvement="increase")
    down = analyse(mirrored, improvement="decrease")
    assert types(up) == types(down)
    assert [p.direction for p in up.points] == [-p.direction for p in down.points]


@given(
    st.lists(numbers, min_size=1, max_size=40),
    st.sets(st.integers(min_value=0, max_value=39), max_size=4),
)
def test_every_point_carries_its_segments_lines(values, rebase):
    rebase = [i for i in rebase if i < len(values)]
    result = analyse(values, rebase_at=rebase)
    assert len(result.points) == len(values)
    for point in result.points:
        segment = result.segments[point.segment]
        assert segment.start <= point.index < segment.stop
        assert (point.mean, point.lower_limit, point.upper_limit) == (
            segment.mean,
            segment.lower_limit,
            segment.upper_limit,
        )
    assert result.upper_limit == result.segments[-1].upper_limit


# ---------------------------------------------------------------------------------------------
# judge_change: did a change (a root cause's closure) work?


def test_a_shift_up_after_the_change_is_improvement():
    judgement = judge_change([*BASE, 12, 12, 12, 12, 12, 12, 12], 12)
    assert judgement.verdict == "improved"
    assert (judgement.points_before, judgement.points_after) == (12, 7)
    assert not judgement.trial_limits
    assert judgement.rebased.segments[1].mean == 12


def test_one_point_beyond_the_old_limit_is_improvement_at_once():
    assert judge_change([*BASE, 14], 12).verdict == "improved"


def test_no_signal_after_seven_points_is_not_improved_and_before_that_too_early():
    assert judge_change([*BASE, *BASE[:7]], 12).verdict == "not_improved"
    assert judge_change([*BASE, *BASE[:6]], 12).verdict == "too_early"
    assert judge_change([*BASE], 12).verdict == "too_early"


def test_a_drop_after_the_change_is_concern_at_once():
    judgement = judge_change([*BASE, 7], 12)
    assert judgement.verdict == "concern"
    assert judgement.needs_watching


def test_slipping_back_after_an_improvement_is_concern():
    # Improved to ~20, then a steady fall within the new level.
    after = [20, 21, 20, 21, 20, 21, 20, 21, 20, 21, 20, 21, 20.5, 19.5, 18.5, 17.5, 16.5, 15.5]
    judgement = judge_change([*BASE, *after], 12)
    assert judgement.rebased.last_point.point_type == "special_cause_concern"
    assert judgement.verdict == "concern"


def test_too_few_points_before_the_change():
    judgement = judge_change([10, 11, 10, 11, 10, 14], 5)
    assert judgement.verdict == "too_little_before"
    judgement = judge_change([10, 11, 10, 11, 10, 11, 14], 6)
    assert judgement.verdict == "improved"
    assert judgement.trial_limits


def test_a_neutral_kpi_cannot_improve():
    assert judge_change([*BASE, 14], 12, improvement="neutral").verdict == "no_direction"


def test_lower_is_better_improves_downwards():
    assert judge_change([*BASE, 7], 12, improvement="decrease").verdict == "improved"


def test_judge_change_refuses_a_change_outside_the_series():
    with pytest.raises(ValueError, match="between 0 and 12"):
        judge_change(BASE, 13)
