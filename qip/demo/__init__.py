"""The demo trust: a programme modelled on the seed board paper (seeds/003), May 2019.

`manage.py load_demo` calls build(). Each part of the product adds its own demo data in its
own module (plan, then KPIs, governance, engagement), always through the same services
users go through, so the demo exercises the real rules.
"""

# Steps run after the plan is built, in order: "module:function", each called as
# function(programme=programme, accounts=accounts) inside the same transaction and with the
# calendar pinned to the demo's today. Each part of the product appends its own line.
# The chairs' sign-offs of finished sprints run after all steps (plan.sign_off), because a
# signed-off period is read-only.
STEPS: list[str] = [
    "qip.demo.kpis:build",  # KPI values and high-level KPIs (issue 7)
    "qip.demo.governance:build",
    "qip.demo.engagement:build",
    "qip.demo.owner_side:add_evidence",  # issue 4: evidence files for the owner's root causes
    # Roll-ups of the periods that ended (issue 6); keep it last so it sees every step's data.
    "qip.demo.rollups:build",
    # Board papers (issue 9): March 2019 issued (locks March), April 2019 in draft.
    "qip.demo.boardpapers:build",
]
