"""What a board paper says: the cover sheet and the SBAR body as blocks, from the paper's
answers, the PMO's narrative and the month's figures. The seed paper (seeds/003) is the model:
its headings, its order, its sentences.

Figures parts are generated from PaperFigures and never edited; narrative parts show the
PMO's text for their key in BoardPaper.narrative, else the generated default (which a
"reset to generated text" brings back).
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from kpis.charts import build_chart

from ..reporting import trajectory as tj
from . import sentences as s
from .blocks import Bullets, Figure, Heading, Para, Part, Run, Table, para, parse
from .figures import IsgFigures, PaperFigures, combined_percent

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


# -------------------------------------------------------------------------------------------
# Narrative defaults: prose written from the data, which the PMO may rewrite.


@dataclass(frozen=True)
class Context:
    """What the narrative defaults need besides the figures."""

    meeting: str
    meeting_date: dt.date
    previous_meeting: str | None = None
    previous_meeting_date: dt.date | None = None


def _group(f: PaperFigures) -> tuple[str, str]:
    programme = f.programme
    return programme.group_label, programme.group_label_short


def _inspection_month(f: PaperFigures) -> str:
    if f.inspection is None:
        return "most recent"
    return f"{f.inspection.inspection.report_published:%B %Y}"


def default_situation_intro(f: PaperFigures, ctx: Context) -> str:
    label, short = _group(f)
    if ctx.previous_meeting_date:
        opening = (
            f"At the {s.long_date(ctx.previous_meeting_date)} {ctx.previous_meeting} meeting an "
            "update was provided on the development and implementation of the Quality "
            "Improvement Plan (QIP)"
        )
    else:
        opening = (
            f"This paper updates the {ctx.meeting} on the development and implementation of the "
            "Quality Improvement Plan (QIP)"
        )
    text = (
        f"{opening}, to address the findings highlighted in the {_inspection_month(f)} Care "
        "Quality Commission (CQC) inspection report."
    )
    n = len(f.isgs)
    since = f" since {f.first_month.starts_on:%B}" if f.first_month else ""
    text += (
        f"\n\nPlans have been in place{since}, overseen by {s.number_words(n)} "
        f"{s.plural(n, label)} ({short}{'' if n == 1 else 's'})."
    )
    monthly = [row.isg.name for row in f.isgs if row.isg.cadence == "monthly"]
    if monthly and len(monthly) < n:
        text += (
            f"\n\nAll besides the {s.and_join(monthly)} {short} are reporting in two-weekly "
            "cycles ('sprints'). Owing to the nature of actions included in the "
            f"{s.and_join(monthly)} improvement plan this is reporting on a monthly basis."
        )
    return text


def default_executive_summary(f: PaperFigures, ctx: Context) -> str:
    """Used when the PMO leaves the cover sheet's executive summary blank."""
    label, short = _group(f)
    n = len(f.isgs)
    t = f.total
    return (
        "In response to the Must Do and Should Do findings set out by the Care Quality "
        f"Commission (CQC) in their {_inspection_month(f)} inspection report, the Trust has "
        "developed a Quality Improvement Plan (QIP). Progress is being made across all "
        f"{s.number_words(n)} {s.plural(n, label)} ({short}{'' if n == 1 else 's'}).\n\n"
        + s.headline(
            month=_month_word(f.period.starts_on),
            md_completed=t.md_completed,
            sd_completed=t.sd_completed,
            percent=combined_percent(t),
            previous_month=_month_word(f.previous.starts_on) if f.previous else None,
            previous_percent=combined_percent(f.previous_total),
        )
        + f"\n\nThe purpose of this paper is to:\n\n- Inform and provide assurance to the "
        f"{ctx.meeting} on the monitoring and implementation of the QIP.\n- Note the next steps "
        "to further embed and evidence delivery of continuous improvement."
    )


def default_situation(f: PaperFigures, ctx: Context) -> str:
    return (
        "All actions that are off track are routinely escalated to a weekly Executive "
        "Continuous Improvement Board meeting, with supporting recovery plans. Any proposed "
        "changes to the plan are also reviewed and approved at this meeting."
        "\n\nThe impact and embeddedness of the QIP is measured through Key Performance "
        "Indicators (KPIs). These have been developed for all Must Do and Should Do Root "
        "Causes. High-level KPIs aligned across the five CQC domains (Safe, Effective, Caring, "
        "Responsive and Well-led) have also been developed to measure overall improvement."
    )


def default_background(f: PaperFigures, ctx: Context) -> str:
    return (
        "In response comprehensive improvement plans (the QIPs) were developed using the "
        "Situation, Background, Assessment, Recommendation (SBAR) approach with clear actions, "
        "accountabilities and trajectories agreed. Reporting on progress is undertaken in "
        "two-weekly cycles ('sprints'), with the exception of monthly plans. An Executive "
        "Continuous Improvement Board was established to oversee development and delivery of "
        "the plan and to hold the groups to account through their Accountable Executives."
    )


def default_trajectory(f: PaperFigures, ctx: Context) -> str:
    return (
        "As the QIPs mature, there is an expected level of revision to some plans. This is "
        "monitored on a weekly basis by the Executive Continuous Improvement Board, which "
        "approves any change to the plan; the original baseline stays on every chart, so "
        "re-planning never hides slippage."
    )


def default_stories(f: PaperFigures, ctx: Context) -> str:
    return (
        "ISGs frequently monitor progress by considering the impact that changes and "
        "improvements delivered, or in progress, have on patient experiences and outcomes. "
        "The examples below are illustrated with feedback:"
    )


def default_wellled(f: PaperFigures, ctx: Context) -> str:
    names = s.and_join([row.isg.name for row in f.kloe_isgs])
    return (
        f"This section outlines the progress made in the {names} improvement plan. It is "
        f"overseen by its {f.programme.group_label_short}, in common with other elements of the "
        "QIP, but reports to a monthly cycle, as opposed to a fortnightly 'sprint'. The plan is "
        "structured around the CQC's key lines of enquiry (KLOEs) for the Well-led domain."
    )


def default_kpis(f: PaperFigures, ctx: Context) -> str:
    return (
        "High-level KPIs are not tied to an individual action or Root Cause; they show whether "
        "the combined actions are delivering overall improvement. They are read as statistical "
        "process control charts, following NHS England's Making Data Count. For each Root "
        "Cause a KPI has also been identified, to provide assurance that its actions have had "
        "the intended impact."
    )


def default_themes(f: PaperFigures, ctx: Context) -> str:
    return (
        "Cross-cutting themes are improvements identified within one service, but that "
        "require changes to be made by a corporate or clinical support service. A task and "
        "finish group oversees each theme and reports through one ISG."
    )


def default_engagement(f: PaperFigures, ctx: Context) -> str:
    return (
        "Ongoing, effective engagement with patients and the public, our staff and our system "
        "partners is a core enabler of the overall QIP."
    )


def default_recommendation(f: PaperFigures, ctx: Context) -> str:
    n = len(f.isgs)
    return (
        f"The {ctx.meeting} is asked to:\n\n"
        "- **Note** the progress that has been made in the delivery of QIPs against the "
        f"previously approved trajectories by the {s.number_words(n)} "
        f"{f.programme.group_label_short}{'' if n == 1 else 's'} throughout "
        f"{f.period.starts_on:%B}, and the plans to maintain momentum.\n"
        "- **Note** the approach to the development and monitoring of metrics that will "
        "measure the impact of improvements.\n"
        "- **Note** the approach towards engagement with patients and the public, our staff, "
        "and system partners."
    )


DEFAULTS = {
    "situation_intro": ("Situation: opening", default_situation_intro),
    "situation": ("Situation: after the figures", default_situation),
    "background": ("Background", default_background),
    "trajectory": ("1a. Delivery against trajectory", default_trajectory),
    "stories": ("1c. QIP examples of progress", default_stories),
    "wellled": ("2. Well-led improvement plan", default_wellled),
    "kpis": ("3. Measuring the impact of QIPs", default_kpis),
    "themes": ("4. Cross-cutting themes", default_themes),
    "engagement": ("5. Engagement", default_engagement),
    "recommendation": ("Recommendation", default_recommendation),
}


def isg_key(row: IsgFigures) -> str:
    return f"isg_{row.isg.code}"


# -------------------------------------------------------------------------------------------
# Figures parts


def _isg_heading(row: IsgFigures, short: str) -> str:
    name = row.isg.name
    return name if name.endswith(short) else f"{name} {short}"


def _month_word(day: dt.date) -> str:
    return f"{day:%B}"


def _situation_figures(f: PaperFigures) -> list:
    t = f.total
    month = _month_word(f.period.starts_on)
    prev = f.previous_total
    text = s.headline(
        month=month,
        md_completed=t.md_completed,
        sd_completed=t.sd_completed,
        percent=combined_percent(t),
        previous_month=_month_word(f.previous.starts_on) if f.previous else None,
        previous_percent=combined_percent(prev),
    )
    on_track = (
        f"Overall, {s.count_words(f.must_do_on_track, 'Must Do Root Cause')} "
        f"{'is' if f.must_do_on_track == 1 else 'are'} marked as on track."
    )
    return [para(text), para(on_track)]


def _background_figures(f: PaperFigures) -> list:
    blocks: list = []
    if f.inspection is not None:
        i = f.inspection
        text = (
            f"The CQC's Inspection Report for the Trust was published on "
            f"{s.long_date(i.inspection.report_published)}."
        )
        rated = s.ratings_sentence(worst=i.worst or "", domains=i.worst_domains, overall=i.overall)
        if rated:
            text += " " + rated
        text += " " + s.findings_sentence(md_findings=i.md_findings, sd_findings=i.sd_findings)
        blocks.append(para(text))
        if i.notices:
            notices = s.and_join([s.a_or_an(name) for name in i.notices])
            blocks.append(
                para(
                    f"{notices[:1].upper()}{notices[1:]} {s.plural(len(i.notices), 'was', 'were')} "
                    "received in response to urgent concerns identified during the inspection "
                    "requiring immediate action; the actions they require are part of the QIPs."
                )
            )
    label, short = _group(f)
    n = len(f.isgs)
    blocks.append(
        para(
            f"QIPs were developed across {s.count_words(n, 'area')} by {s.plural(n, label)} "
            f"({short}{'' if n == 1 else 's'}), who are now overseeing progress:"
        )
    )
    blocks.append(Bullets(tuple((Run(row.isg.name),) for row in f.isgs)))
    return blocks


def _previous_month_figures(f: PaperFigures) -> list:
    prev = f.previous_total
    if f.previous is None or prev is None:
        return []
    before = f.before_previous_total
    text = s.previous_month_sentence(
        month=_month_word(f.previous.starts_on),
        completed=prev.md_completed + prev.sd_completed,
        md_percent=prev.md_percent,
        before_completed=(before.md_completed + before.sd_completed) if before else None,
        before_month=_month_word(f.before_previous.starts_on) if f.before_previous else None,
    )
    return [para(text)]


class Numbering:
    def __init__(self):
        self.n = 0
        self.figures: list[Figure] = []

    def next(self) -> int:
        self.n += 1
        return self.n


def _chart_table(chart, caption: str) -> Table:
    return Table(
        caption=caption,
        header=(chart.x_label or "Month", *[series.name for series in chart.series]),
        rows=tuple(
            (label, *["–" if v is None else str(v) for v in values])
            for label, values in chart.table()
        ),
        numeric=tuple(range(1, len(chart.series) + 1)),
    )


def _trajectory_figures(f: PaperFigures, numbering: Numbering) -> list:
    t = f.total
    prev = f.previous_total
    month = _month_word(f.period.starts_on)
    text = s.headline(
        month=month,
        md_completed=t.md_completed,
        sd_completed=t.sd_completed,
        percent=combined_percent(t),
        previous_month=_month_word(f.previous.starts_on) if f.previous else None,
        previous_percent=combined_percent(prev),
        previous_completed=(prev.md_completed + prev.sd_completed) if prev else None,
        with_uplift=True,
    )
    blocks: list = [para(text)]
    by_month = [c for c in f.charts if c.slug in ("must-do-by-month", "should-do-by-month")]
    if not by_month:
        return blocks
    short = f.programme.group_label_short
    first, second = numbering.n + 1, numbering.n + 2
    blocks.append(
        para(
            f"This progress is shown, broken down by {short}, in the charts below; Figure "
            f"{first} shows progress for the Must Do Root Causes by month, Figure {second} for "
            "the Should Do Root Causes by month:"
        )
    )
    for chart, words in zip(by_month, ("Must Do", "Should Do"), strict=True):
        number = numbering.next()
        caption = f"Figure {number}: {words} Root Cause completion, by month and {short}"
        figure = Figure(
            number=number,
            caption=caption,
            chart=chart,
            chart_kind="trajectory",
            description=chart.description,
            table=_chart_table(chart, f"The numbers behind Figure {number}"),
        )
        numbering.figures.append(figure)
        blocks.append(figure)
    return blocks


def _isg_table(f: PaperFigures) -> Table:
    short = f.programme.group_label_short
    rows = []
    for row in f.isgs:
        snap = row.snapshot
        rows.append(
            (
                row.isg.name,
                str(row.findings[tj.MUST_DO]),
                str(row.findings[tj.SHOULD_DO]),
                str(row.root_causes[tj.MUST_DO]),
                str(row.root_causes[tj.SHOULD_DO]),
                f"{snap.md_completed} of {snap.md_planned}",
                s.whole_percent(snap.md_percent) if snap.md_percent is not None else "–",
                f"{snap.sd_completed} of {snap.sd_planned}",
                s.whole_percent(snap.sd_percent) if snap.sd_percent is not None else "–",
            )
        )
    t = f.total
    rows.append(
        (
            "Programme",
            str(sum(r.findings[tj.MUST_DO] for r in f.isgs)),
            str(sum(r.findings[tj.SHOULD_DO] for r in f.isgs)),
            str(sum(r.root_causes[tj.MUST_DO] for r in f.isgs)),
            str(sum(r.root_causes[tj.SHOULD_DO] for r in f.isgs)),
            f"{t.md_completed} of {t.md_planned}",
            s.whole_percent(t.md_percent) if t.md_percent is not None else "–",
            f"{t.sd_completed} of {t.sd_planned}",
            s.whole_percent(t.sd_percent) if t.sd_percent is not None else "–",
        )
    )
    return Table(
        caption=(
            f"Findings, Root Causes and delivery against trajectory by {short}, at the end of "
            f"{f.period.starts_on:%B %Y}"
        ),
        header=(
            short,
            "Must Do findings",
            "Should Do findings",
            "Must Do Root Causes",
            "Should Do Root Causes",
            "Must Do closed of target",
            "Must Do % of trajectory",
            "Should Do closed of target",
            "Should Do % of trajectory",
        ),
        rows=tuple(rows),
        numeric=tuple(range(1, 9)),
    )


def _isg_figures(f: PaperFigures, row: IsgFigures) -> list:
    short = f.programme.group_label_short
    snap = row.snapshot
    month = _month_word(f.period.starts_on)
    name = row.isg.name.removesuffix(f" {short}")
    text = s.addresses(
        isg_label=short,
        qip_name=name,
        md_findings=row.findings[tj.MUST_DO],
        sd_findings=row.findings[tj.SHOULD_DO],
        md_root_causes=row.root_causes[tj.MUST_DO],
        sd_root_causes=row.root_causes[tj.SHOULD_DO],
        services=row.services,
    )
    blocks = [para(text)]
    if row.notices:
        blocks.append(
            para(
                f"The actions required in response to the {s.and_join(row.notices)} have been "
                f"incorporated within the {name} QIP."
            )
        )
    progress = s.isg_progress(
        isg_label=short,
        month=month,
        md_percent=snap.md_percent,
        md_completed=snap.md_completed,
        md_planned=snap.md_planned,
    )
    if row.forecast is not None:
        outlook = s.outlook(
            status=row.forecast.status,
            next_month=f"{row.forecast.next_month_end:%B}",
            percent_forecast=row.forecast.percent_forecast,
            isg_label=short,
        )
        if outlook:
            progress += " " + outlook
    blocks.append(para(progress))
    return blocks


def _story_blocks(f: PaperFigures) -> list:
    blocks: list = []
    for story in f.stories:
        blocks.append(
            Para(
                (
                    Run("Improvement in action: ", bold=True),
                    Run(f"{story.title} – {story.concern}", bold=True),
                )
            )
        )
        blocks.append(
            Para((Run("As a result of this we "), Run(story.change, bold=True), Run(".")))
        )
        for quote in story.quotes:
            blocks.append(Para((Run("Feedback received – ", italic=True),)))
            blocks.append(Para((Run(quote.text),), style="quote"))
            if quote.attribution:
                blocks.append(Para((Run(f"— {quote.attribution}", italic=True),), style="quote"))
    return blocks


def _kloe_blocks(f: PaperFigures, numbering: Numbering) -> list:
    blocks: list = []
    for row in f.kloe_isgs:
        snap = row.snapshot
        blocks.append(
            para(
                f"The {row.isg.name} plan holds "
                f"{s.number_words(row.root_causes[tj.MUST_DO])} Must Do and "
                f"{s.number_words(row.root_causes[tj.SHOULD_DO])} Should Do Root Causes. "
                + s.isg_progress(
                    isg_label=f.programme.group_label_short,
                    month=_month_word(f.period.starts_on),
                    md_percent=snap.md_percent,
                    md_completed=snap.md_completed,
                    md_planned=snap.md_planned,
                )
            )
        )
    reports = f.kloe_reports
    if not reports:
        blocks.append(
            para(f"No key line of enquiry reports were written for {f.period.starts_on:%B %Y}.")
        )
        return blocks
    codes = s.and_join([r.assessment_item.code for r in reports])
    blocks.append(
        para(
            f"Progress against {s.count_words(len(reports), 'key line', 'key lines')} of enquiry "
            f"({codes}) in {f.period.starts_on:%B %Y} is shown below."
        )
    )
    for report in reports:
        number = numbering.next()
        item = report.assessment_item
        lines = list(report.lines.all())
        future = tuple(report.future_plan_lines)
        question = f"{item.code}: {item.question or item.title}"
        rows = []
        for i, line in enumerate(lines or [None]):
            rows.append(
                (
                    question if i == 0 else "",
                    line.action if line else "",
                    line.evidence if line else "",
                    future if i == 0 else "",
                )
            )
        blocks.append(
            Table(
                caption=(
                    f"Figure {number}: Actions underway, how impact will be evidenced and future "
                    f"plans for KLOE {item.code}"
                ),
                header=(
                    "Key line of enquiry",
                    "Actions over the past month",
                    "How we will evidence the change",
                    "Future plans",
                ),
                rows=tuple(rows),
                span_columns=(0, 3) if len(rows) > 1 else (),
            )
        )
    return blocks


def _value(row) -> str:
    latest = row.latest
    if latest is None:
        return "No values"
    from kpis.charts import number

    unit = "%" if row.kpi.unit == "percentage" else ""
    return f"{number(float(latest.value), unit)} ({latest.period_end:%d/%m/%Y})"


def _kpi_blocks(f: PaperFigures, numbering: Numbering) -> list:
    k = f.kpis
    if k is None or k.high_level == 0:
        return [para("No high-level KPIs have been set up yet.")]
    month = f"{f.period.starts_on:%B}"
    concern, failing = len(k.concern), len(k.failing)
    text = (
        f"Of the {s.count_words(k.high_level, 'high-level KPI')} at the end of {month}, "
        f"{s.number_words(concern)} {s.plural(concern, 'shows', 'show')} special cause concern "
        f"and {s.number_words(failing)} {s.plural(failing, 'is', 'are')} consistently failing "
        f"{s.plural(failing, 'its', 'their')} target."
    )
    blocks: list = [para(text)]
    flagged = k.flagged
    if not flagged:
        return blocks
    blocks.append(
        Table(
            caption="High-level KPIs showing special cause concern or consistently failing their target",
            header=(
                "KPI",
                f.programme.group_label_short,
                "CQC domain",
                "Latest value",
                "Variation",
                "Assurance",
            ),
            rows=tuple(
                (
                    row.kpi.name,
                    row.kpi.isg.name if row.kpi.isg else "",
                    row.kpi.key_question.name if row.kpi.key_question else "",
                    _value(row),
                    row.variation_label,
                    row.assurance_label,
                )
                for row in flagged
            ),
        )
    )
    charted = k.charted
    if charted:
        blocks.append(
            para(
                f"The SPC {s.plural(len(charted), 'chart')} below "
                f"{s.plural(len(charted), 'shows', 'show')} "
                + ("the KPIs of most concern." if len(charted) < len(flagged) else "each of them.")
            )
        )
    for row in charted:
        number = numbering.next()
        chart = build_chart(row)
        figure = Figure(
            number=number,
            caption=f"Figure {number}: {row.kpi.name} ({row.kpi.isg.name if row.kpi.isg else ''})",
            chart=chart,
            chart_kind="spc",
            description=chart.description,
        )
        numbering.figures.append(figure)
        blocks.append(figure)
    return blocks


def _theme_blocks(f: PaperFigures) -> list:
    short = f.programme.group_label_short
    return [
        Table(
            caption=f"Cross-cutting themes at the end of {f.period.starts_on:%B %Y}",
            header=(
                "Theme",
                f"Reports through {short}",
                "Lead",
                "Root Causes",
                "Completed",
                "Open",
                "Overdue",
            ),
            rows=tuple(
                (
                    row.theme.name,
                    row.theme.reporting_isg.name,
                    (row.theme.lead.get_full_name() or row.theme.lead.username)
                    if row.theme.lead
                    else "",
                    str(row.total),
                    str(row.completed),
                    str(row.open),
                    str(row.overdue),
                )
                for row in f.themes
            ),
            numeric=(3, 4, 5, 6),
        )
    ]


def _engagement_blocks(f: PaperFigures) -> list:
    e = f.engagement
    if e is None:
        return []
    champions = e.champions
    span = s.date_span(e.start, e.end)
    text = (
        f"In {span}, {s.count_words(e.activities, 'engagement activity', 'engagement activities')} "
        f"reached {e.reach:,} {s.plural(e.reach, 'person', 'people')}, including "
        f"{s.count_words(e.partner_meetings, 'meeting')} with system partners. "
        f"{s.count_words(e.feedback_received, 'item', start=True)} of feedback "
        f"{s.plural(e.feedback_received, 'was', 'were')} received and "
        f"{s.number_words(e.feedback_answered)} answered; "
        f"{s.number_words(e.feedback_awaiting)} {s.plural(e.feedback_awaiting, 'awaits', 'await')} "
        f"a response. {s.count_words(champions.active, 'Engagement Champion', start=True)} "
        f"{s.plural(champions.active, 'is', 'are')} in post ({s.number_words(champions.inducted)} inducted)."
    )
    return [
        para(text),
        Table(
            caption=f"Engagement in {span} by audience",
            header=(
                "Audience",
                "Activities",
                "People reached",
                "Feedback received",
                "Feedback answered",
            ),
            rows=tuple(
                (
                    row.label,
                    str(row.activities),
                    f"{row.reach:,}",
                    str(row.feedback_received),
                    str(row.feedback_answered),
                )
                for row in e.by_audience
            ),
            numeric=(1, 2, 3, 4),
        ),
    ]


# -------------------------------------------------------------------------------------------
# The paper


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


def narrative_keys(f: PaperFigures) -> dict[str, str]:
    """Every narrative part this paper has: {key: label}."""
    keys = {key: label for key, (label, _make) in DEFAULTS.items()}
    for row in f.sprint_isgs:
        keys[isg_key(row)] = f"{row.isg.name}: commentary"
    if not f.stories:
        keys.pop("stories")
    if not f.kloe_isgs:
        keys.pop("wellled")
    if not f.themes:
        keys.pop("themes")
    return keys


def default_text(key: str, f: PaperFigures, ctx: Context) -> str:
    if key.startswith("isg_"):
        return ""
    return DEFAULTS[key][1](f, ctx)


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
