"""What a board paper says: the cover sheet and the SBAR body as blocks, from the paper's
answers, the PMO's narrative and the month's figures. The seed paper (seeds/003) is the model:
its headings, its order, its sentences.

Figures parts are generated from PaperFigures and never edited; narrative parts show the
PMO's text for their key in BoardPaper.narrative, else the generated default (which a
"reset to generated text" brings back).

The parts come from cover.py (the cover sheet), narrative.py (the narrative defaults) and
sections.py (the figures parts); this module puts them in the seed's order.
"""

from dataclasses import dataclass, field, replace

from . import sentences as s
from .blocks import Figure, Heading, Part, para, parse
from .cover import CoverAnswers, CoverRow, cover_rows
from .figures import PaperFigures
from .narrative import DEFAULTS, Context, default_executive_summary, isg_key
from .sections import (
    Numbering,
    _background_figures,
    _engagement_blocks,
    _isg_figures,
    _isg_heading,
    _isg_table,
    _kloe_blocks,
    _kpi_blocks,
    _previous_month_figures,
    _situation_figures,
    _story_blocks,
    _theme_blocks,
    _trajectory_figures,
)


@dataclass
class Paper:
    title: str
    subtitle: str
    cover: list[CoverRow]
    parts: list[Part]
    note: str = ""  # a draft's warning about its figures
    figures: PaperFigures | None = None
    all_figures: list[Figure] = field(default_factory=list)

    @property
    def narrative_parts(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "narrative"]


def _narrative(key: str, narrative: dict, f: PaperFigures, ctx: Context, default=None) -> Part:
    label, make = DEFAULTS.get(key, (key, None))
    generated = default if default is not None else (make(f, ctx) if make else "")
    stored = narrative.get(key)
    edited = stored is not None
    text = stored if edited else generated
    return Part(
        kind="narrative",
        key=key,
        label=label,
        blocks=parse(text),
        text=text,
        default=generated,
        edited=edited,
    )


def build(
    *, answers: CoverAnswers, narrative: dict, figures: PaperFigures, ctx: Context, draft: bool
) -> Paper:
    f = figures
    numbering = Numbering()
    short = f.programme.group_label_short
    parts: list[Part] = []

    def heading(text: str, level: int):
        parts.append(Part(kind="heading", blocks=[Heading(text, level)], label=text))

    def figures_part(key: str, label: str, blocks: list):
        if blocks:
            parts.append(Part(kind="figures", key=key, label=label, blocks=blocks))

    def narrative_part(key: str, default: str | None = None):
        part = _narrative(key, narrative, f, ctx, default)
        if key.startswith("isg_"):
            part.label = f"{key.removeprefix('isg_')}: commentary"
        parts.append(part)

    heading("Situation", 1)
    narrative_part("situation_intro")
    figures_part("situation", "Headline figures", _situation_figures(f))
    narrative_part("situation")

    heading("Background", 1)
    figures_part("background", "The inspection and the plan", _background_figures(f))
    narrative_part("background")
    figures_part("previous", "The previous month", _previous_month_figures(f))

    heading("Assessment", 1)
    heading("1. Must Do and Should Do QIP delivery against trajectory", 2)
    heading("1a. Delivery against trajectory", 3)
    figures_part("trajectory", "Delivery against trajectory", _trajectory_figures(f, numbering))
    narrative_part("trajectory")
    heading(f"1b. {short} summary progress", 3)
    figures_part(
        "isg_table",
        f"{short} summary",
        [
            para(f"This section sets out progress at an {short} level in greater detail."),
            _isg_table(f),
        ],
    )
    for row in f.sprint_isgs:
        heading(_isg_heading(row, short), 4)
        figures_part(isg_key(row), f"{row.isg.name} figures", _isg_figures(f, row))
        narrative_part(isg_key(row), default="")
        parts[-1].label = f"{row.isg.name}: commentary"
    section = 1
    if f.stories:
        heading("1c. QIP examples of progress", 3)
        narrative_part("stories")
        figures_part("stories_figures", "Improvement in action", _story_blocks(f))
    if f.kloe_isgs:
        section += 1
        names = s.and_join([row.isg.name for row in f.kloe_isgs])
        heading(f"{section}. {names} improvement plan", 2)
        narrative_part("wellled")
        figures_part("wellled_figures", "Key lines of enquiry", _kloe_blocks(f, numbering))
    section += 1
    heading(f"{section}. Measuring the impact of QIPs", 2)
    narrative_part("kpis")
    figures_part("kpis_figures", "High-level KPIs", _kpi_blocks(f, numbering))
    if f.themes:
        section += 1
        heading(f"{section}. Addressing cross-cutting themes", 2)
        narrative_part("themes")
        figures_part("themes_figures", "Cross-cutting themes", _theme_blocks(f))
    section += 1
    heading(f"{section}. Engagement", 2)
    narrative_part("engagement")
    figures_part("engagement_figures", "Engagement", _engagement_blocks(f))

    heading("Recommendation", 1)
    narrative_part("recommendation")

    note = ""
    if draft:
        if f.source == "live":
            note = (
                f"Draft. Figures as at {s.long_date(f.as_of)}, computed live: "
                f"{f.period} has not ended, so they may still change."
            )
        elif f.source == "ended":
            note = (
                f"Draft. Figures computed live: {f.period} has ended but has not been rolled up "
                "yet. They are frozen when the paper is issued."
            )
        else:
            note = f"Draft. {f.source_words}. They are frozen when the paper is issued."
    if not answers.executive_summary.strip():
        answers = replace(answers, executive_summary=default_executive_summary(f, ctx))
    return Paper(
        title=answers.title,
        subtitle=f"{answers.meeting}, {s.long_date(answers.meeting_date)}",
        cover=cover_rows(answers),
        parts=parts,
        note=note,
        figures=f,
        all_figures=numbering.figures,
    )
