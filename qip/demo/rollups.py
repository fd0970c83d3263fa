"""Demo step: roll up the periods that have ended by the demo's today (sprints 1–3 and
March 2019), as the nightly task would have done, so the dashboard can show them."""

from core.clock import today

from ..reporting import rollup


def build(*, programme, accounts) -> None:
    periods = list(programme.periods.filter(ends_on__lt=today()))
    rollup.rollup_periods(programme=programme, periods=periods)
