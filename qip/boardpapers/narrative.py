"""The PMO's narrative: the prose of each section of a board paper (Situation, Background,
each Assessment section, Recommendation), written by default from the month's figures in the
seed paper's words. The PMO may rewrite any of it; "reset to generated text" brings the
default back. Also which narrative sections a paper has, and their labels.
"""

import datetime as dt
from dataclasses import dataclass

from . import sentences as s
from .figures import IsgFigures, PaperFigures, combined_percent
from .sections import _group, _month_word


@dataclass(frozen=True)
class Context:
    """What the narrative defaults need besides the figures."""

    meeting: str
    meeting_date: dt.date
    previous_meeting: str | None = None
    previous_meeting_date: dt.date | None = None


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
