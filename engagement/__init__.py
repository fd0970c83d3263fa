"""Engagement with patients and the public, staff and system partners."""
