"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

BIGINT_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id beyond the database's integer range is an invalid choice.

    Django's own field looks such an id up with `pk__in`, which SQLite cannot bind
    (OverflowError: a server error for a tampered form; found by tests/security fuzzing).
    """

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else None
        if isinstance(field, models.AutoField | models.BigAutoField | models.IntegerField):
            for pk in value or ():
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django's own check says "not a valid value"
                if number not in BIGINT_RANGE:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)
