"""The board paper's sentences as pure functions: the seed paper's house style (seeds/003)."""

import datetime as dt
from decimal import Decimal

import pytest

from qip.boardpapers import sentences as s
from qip.boardpapers.blocks import Bullets, Para, parse, runs


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "no"), (1, "one"), (8, "eight"), (9, "nine"), (10, "10"), (93, "93"), (1234, "1,234")],
)
def test_numbers_one_to_nine_in_words_then_figures(n, words):
    assert s.number_words(n) == words


def test_a_number_in_words_is_capitalised_at_the_start_of_a_sentence():
    assert s.number_words(8, start=True) == "Eight"
    assert s.number_words(22, start=True) == "22"


def test_counts_agree_with_their_noun():
    assert s.count_words(8, "Should Do Root Cause") == "eight Should Do Root Causes"
    assert s.count_words(1, "Must Do Root Cause") == "one Must Do Root Cause"
    assert s.count_words(93, "Must Do Root Cause") == "93 Must Do Root Causes"
    assert s.count_words(0, "finding") == "no findings"
    assert s.count_words(2, "activity", "activities") == "two activities"


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        ([], ""),
        (["Safe"], "Safe"),
        (["Safe", "Well-led"], "Safe and Well-led"),
        (
            ["Critical Care", "Surgery", "End of Life Care"],
            "Critical Care, Surgery and End of Life Care",
        ),
    ],
)
def test_lists_join_with_a_final_and_and_no_oxford_comma(items, joined):
    assert s.and_join(items) == joined


@pytest.mark.parametrize(
    ("percent", "words"),
    [
        (Decimal("77.7"), "over 75%"),
        (Decimal("82.5"), "over 80%"),
        (Decimal("80.0"), "80%"),
        (Decimal("79.96"), "80%"),
        (Decimal("100"), "100%"),
        (Decimal("104.2"), "over 100%"),
        (Decimal("3.0"), "under 5%"),
        (Decimal("0"), "0%"),
        (77.7, "over 75%"),
    ],
)
def test_headline_percent_is_rounded_down_to_five_and_said_as_over(percent, words):
    assert s.percent_words(percent) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [(Decimal("84.6"), "85%"), (Decimal("66.7"), "67%"), (Decimal("87.2"), "87%"), (84, "84%")],
)
def test_an_isg_percent_is_a_whole_number(value, words):
    assert s.whole_percent(value) == words


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        ("77.7", "80.0", "a slight reduction from the 80%"),
        ("82", "80", "a slight increase from the 80%"),
        ("80.4", "80.0", "in line with the 80%"),
        ("72", "80", "a reduction from the 80%"),
        ("90", "80", "an increase from the 80%"),
        ("60", "80", "a significant reduction from the 80%"),
        ("97", "80", "a significant increase from the 80%"),
        ("80", "82.5", "a slight reduction from the 83%"),
    ],
)
def test_the_change_since_last_month_is_worked_out(now, before, expected):
    sentence = s.percent_change(Decimal(now), Decimal(before), month="March")
    assert sentence == f"{expected} of trajectory completion achieved at the end of March"


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        (101, 52, "a significant uplift"),
        (60, 52, "an uplift"),
        (53, 52, "a small uplift"),
        (52, 52, "no change from"),
        (5, 0, "a significant uplift"),
    ],
)
def test_the_change_in_completions_is_worked_out(now, before, expected):
    assert s.count_change(now, before, month="March").startswith(expected)


def test_the_seed_papers_headline_sentence():
    text = s.headline(
        month="April",
        md_completed=93,
        sd_completed=8,
        percent=Decimal("77.7"),
        previous_month="March",
        previous_percent=Decimal("80.0"),
    )
    assert text == (
        "At the end of April, the latest full month for which reporting is available, "
        "93 Must Do Root Causes and eight Should Do Root Causes were completed. This is over "
        "75% of the forecast completion trajectory, a slight reduction from the 80% of "
        "trajectory completion achieved at the end of March."
    )


def test_the_headline_with_the_uplift_and_without_a_previous_month():
    with_uplift = s.headline(
        month="April",
        md_completed=93,
        sd_completed=8,
        percent=Decimal("77.7"),
        previous_month="March",
        previous_percent=Decimal("80.0"),
        previous_completed=52,
        with_uplift=True,
    )
    assert (
        "were completed, a significant uplift against the progress at the end of March."
        in with_uplift
    )
    first = s.headline(month="January", md_completed=1, sd_completed=0, percent=Decimal("50"))
    assert first.endswith(
        "one Must Do Root Cause and no Should Do Root Causes were completed. This is 50% of the forecast completion trajectory."
    )
    nothing_due = s.headline(month="January", md_completed=0, sd_completed=0, percent=None)
    assert nothing_due.endswith("Nothing was yet due for completion on the trajectory.")


def test_an_isgs_progress_as_the_seed_puts_it():
    assert s.isg_progress(
        isg_label="ISG", month="April", md_percent=Decimal("84.6"), md_completed=22, md_planned=26
    ) == (
        "The ISG has made good progress to date, and at the end of April had achieved 85% of "
        "planned trajectory for Root Causes. 22 Must Do Root Causes had been closed, against a "
        "target of 26."
    )
    assert "has made progress to date" in s.isg_progress(
        isg_label="ISG", month="April", md_percent=Decimal("84.0"), md_completed=21, md_planned=25
    )
    assert (
        s.isg_progress(
            isg_label="ISG", month="April", md_percent=None, md_completed=0, md_planned=0
        )
        == "No Must Do Root Causes were due for completion by the end of April."
    )


def test_the_recovery_outlook_in_words():
    assert (
        "unlikely that there will be a full recovery against trajectory by the end of May (forecast 91% of trajectory)"
        in s.outlook(status="unlikely", next_month="May", percent_forecast=Decimal("91.2"))
    )
    assert "forecast to recover its trajectory by the end of May" in s.outlook(
        status="likely", next_month="May", percent_forecast=Decimal("107.7")
    )
    assert s.outlook(status="on_trajectory", next_month="May") == "The ISG is on trajectory."
    assert s.outlook(status="no_plan", next_month="May") == ""


def test_findings_and_ratings_sentences():
    assert s.addresses(
        isg_label="ISG",
        qip_name="Unscheduled Care",
        md_findings=20,
        sd_findings=9,
        md_root_causes=68,
        sd_root_causes=23,
        services=["ED", "Medicine"],
    ) == (
        "The Unscheduled Care QIP addresses the 20 Must Do and nine Should Do findings relating "
        "to ED and Medicine. The unpacking process led to the identification of 68 Must Do and "
        "23 Should Do Root Causes."
    )
    assert s.ratings_sentence(
        worst="Inadequate", domains=["Safe", "Well-led"], overall="Inadequate"
    ) == (
        "The Trust was found to be Inadequate in two domains (Safe and Well-led) and was rated "
        "overall as Inadequate."
    )
    assert s.findings_sentence(md_findings=79, sd_findings=91).startswith(
        "The CQC's 79 Must Do findings describe areas"
    )


def test_dates_and_spans():
    assert s.long_date(dt.date(2019, 4, 4)) == "4 April 2019"
    assert s.date_span(dt.date(2019, 4, 1), dt.date(2019, 4, 30)) == "April 2019"
    assert s.date_span(dt.date(2019, 4, 1), dt.date(2019, 4, 26)) == "1 to 26 April 2019"
    assert s.a_or_an("Section 31 notice") == "a Section 31 notice"
    assert s.a_or_an("enforcement notice") == "an enforcement notice"


def test_narrative_markup_paragraphs_bullets_and_bold():
    blocks = parse(
        "The Board is asked to:\n\n- **Note** the progress\n- **Approve** the plan\n\nEnd  of\ntext."
    )
    assert [type(b) for b in blocks] == [Para, Bullets, Para]
    assert blocks[0].text == "The Board is asked to:"
    first = blocks[1].items[0]
    assert first[0].text == "Note" and first[0].bold
    assert first[1].text == " the progress" and not first[1].bold
    assert blocks[2].text == "End  of text."
    assert parse("") == []
    assert runs("plain") == (runs("plain")[0],) and not runs("plain")[0].bold
