"""How the programme is governed: escalation to the ECIB, change control, the Well-led plan."""
