"""The programme's reporting, on top of the plan: trajectory, roll-ups, dashboards, papers."""
