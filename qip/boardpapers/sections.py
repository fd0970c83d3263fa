"""The figures parts of a board paper, section by section: the headline figures, the
inspection and the plan, the previous month, delivery against trajectory (with its charts and
the numbers behind them), the ISG summary table and each ISG's progress, the examples of
improvement in action, the Well-led key lines of enquiry, the high-level KPIs and their SPC
charts, the cross-cutting themes and engagement. Generated from the month's figures and never
edited; figures are numbered in the order the paper shows them.
"""

import datetime as dt

from kpis.charts import build_chart

from ..reporting import trajectory as tj
from . import sentences as s
from .blocks import Bullets, Figure, Para, Run, Table, para
from .figures import IsgFigures, PaperFigures, combined_percent


def _isg_heading(row: IsgFigures, short: str) -> str:
    name = row.isg.name
    return name if name.endswith(short) else f"{name} {short}"


# _month_word and _group are shared with the narrative defaults (narrative.py).
def _month_word(day: dt.date) -> str:
    return f"{day:%B}"


def _group(f: PaperFigures) -> tuple[str, str]:
    programme = f.programme
    return programme.group_label, programme.group_label_short


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
