"""How % of trajectory maps to a RAG rating on the dashboard: the one place that decides.

Green: 90% or more of trajectory; amber: 75% to under 90%; red: under 75%. The dashboard
prints these thresholds beside the figures.
"""

from decimal import Decimal

GREEN_FROM = Decimal("90")
AMBER_FROM = Decimal("75")


def trajectory_rag(percent: Decimal | None) -> str:
    """ "green", "amber", "red", or "" when nothing is planned yet."""
    if percent is None:
        return ""
    if percent >= GREEN_FROM:
        return "green"
    if percent >= AMBER_FROM:
        return "amber"
    return "red"


def thresholds_text() -> str:
    return (
        f"Green: {GREEN_FROM}% of trajectory or more; amber: {AMBER_FROM}% to under "
        f"{GREEN_FROM}%; red: under {AMBER_FROM}%."
    )
