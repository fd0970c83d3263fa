"""The cover sheet of a board paper: the rows the trust's template asks for (meeting, title,
dates, responsible director, author, executive summary, what the board is asked to do, the
links to CQC domains, strategic objectives and Board Assurance Framework risks, the equality,
Freedom of Information and financial assessments), filled from the PMO's answers, with the
seed paper's tick boxes (☒/☐) and one-answer choices (◉/○).
"""

import datetime as dt
from dataclasses import dataclass

from .blocks import para, parse

# The seed's wording for each purpose, under the tick boxes of the cover sheet.
PURPOSE_HELP = {
    "approve": "To formally receive and discuss a report and approve its recommendations or a particular course of action",
    "receive": "To discuss, in depth, noting the implications for the Board or Trust without formally approving it",
    "note": "For the intelligence of the Board without in-depth discussion required",
    "assurance": "To assure the Board that effective systems of control are in place",
}
TICKED, UNTICKED = "☒", "☐"
CHOSEN, NOT_CHOSEN = "◉", "○"


@dataclass(frozen=True)
class Choice:
    label: str
    chosen: bool
    help: str = ""


@dataclass(frozen=True)
class CoverRow:
    label: str
    text: str = ""
    blocks: tuple = ()
    choices: tuple[Choice, ...] = ()
    radio: bool = False  # one answer (◉/○) rather than tick boxes (☒/☐)
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverAnswers:
    """The cover sheet's answers, from a saved paper or from defaults (the command line)."""

    meeting: str
    title: str
    meeting_date: dt.date
    written_on: dt.date
    responsible_director: str
    author: str
    executive_summary: str
    purpose: str
    domains: tuple[tuple[str, bool], ...]  # every CQC key question, ticked or not
    objectives: tuple[tuple[str, str, bool], ...]  # (title, description, ticked)
    baf_risks: str
    equality_impact: tuple[tuple[str, bool], ...]
    foi_status: tuple[tuple[str, bool], ...]
    financial_impact: str
    previously_considered_by: str
    purposes: tuple[tuple[str, str], ...] = ()


def cover_rows(answers: CoverAnswers) -> list[CoverRow]:
    lines = tuple(line.strip() for line in answers.baf_risks.splitlines() if line.strip())
    return [
        CoverRow("Meeting", answers.meeting),
        CoverRow("Paper Title", answers.title),
        CoverRow("Date of meeting", f"{answers.meeting_date:%d/%m/%Y}"),
        CoverRow("Date paper was written", f"{answers.written_on:%d/%m/%Y}"),
        CoverRow("Responsible Director", answers.responsible_director or "Not given"),
        CoverRow("Author", answers.author or "Not given"),
        CoverRow(
            "Executive Summary",
            blocks=tuple(parse(answers.executive_summary))
            or (para("No executive summary was written."),),
        ),
        CoverRow("Previously considered by", answers.previously_considered_by or "Not applicable"),
        CoverRow(
            f"The {answers.meeting} is asked to",
            choices=tuple(
                Choice(label, value == answers.purpose, PURPOSE_HELP.get(value, ""))
                for value, label in answers.purposes
            ),
        ),
        CoverRow(
            "Link to CQC domain",
            choices=tuple(Choice(name, ticked) for name, ticked in answers.domains),
        ),
        CoverRow(
            "Link to strategic objective(s)",
            choices=tuple(
                Choice(title, ticked, description)
                for title, description, ticked in answers.objectives
            ),
        ),
        CoverRow("Link to Board Assurance Framework risk(s)", lines=lines or ("None given",)),
        CoverRow(
            "Equality Impact Assessment",
            choices=tuple(Choice(label, chosen) for label, chosen in answers.equality_impact),
            radio=True,
        ),
        CoverRow(
            "Freedom of Information Act (2000) status",
            choices=tuple(Choice(label, chosen) for label, chosen in answers.foi_status),
            radio=True,
        ),
        CoverRow(
            "Financial assessment",
            answers.financial_impact or "No financial impact is associated with this paper.",
        ),
    ]
