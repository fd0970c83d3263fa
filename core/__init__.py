"""The house's shared plumbing with no domain models: the clock, optimistic locking, emails.

Every domain app may import `core`; `core` imports no domain app.
"""
