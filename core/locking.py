"""Optimistic locking: an edit carries the version it was read at, and loses to a newer save.

A form posts the `version` it rendered; the service saves with `save_versioned`, which locks
the row, compares versions and saves through the model (so the audit history records it).
If someone else saved first, nothing is written and StaleEdit carries the current row.
"""

from typing import Any

from django.db import models, transaction


class StaleEdit(Exception):
    """Someone else saved this record after the form was opened."""

    def __init__(self, current: models.Model, attempted: dict[str, Any]):
        self.current = current
        self.attempted = attempted
        super().__init__(f"{current} was changed by someone else after you opened it.")


def save_versioned(
    instance: models.Model, expected_version: int, *, by: Any = None, **changes: Any
) -> models.Model:
    """Write `changes` only if the stored version is still `expected_version`; return the saved row.

    The model must have an integer `version` field.
    """
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            raise StaleEdit(current, changes)
        for field, value in changes.items():
            setattr(current, field, value)
        current.version = expected_version + 1
        if by is not None:
            current._history_user = by
        current.save()
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.version = current.version
    return current
