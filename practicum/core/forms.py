from django import forms
from django.core.exceptions import ValidationError

from practicum.core.cleaning import DATE_WINDOW_MESSAGE, in_date_window
from practicum.core.text import LINE_MAX, TEXT_MAX, text_problem


class LineField(forms.CharField):
    """Single-line text under the core text policy (practicum.core.text); bounded by default."""

    multiline = False
    default_max_length = LINE_MAX

    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(max_length=max_length or self.default_max_length, **kwargs)

    def to_python(self, value):
        # Checked before any subclass splits the text, so the policy sees what was sent.
        value = super().to_python(value)
        if (problem := text_problem(value, multiline=self.multiline)) is not None:
            raise ValidationError(problem, code="invalid_character")
        return value


class TextField(LineField):
    """Multi-line text (tab and line breaks allowed) under the core text policy."""

    multiline = True
    default_max_length = TEXT_MAX


class _DateWindow:
    """Refuses dates outside the platform's window (practicum.core.cleaning.DATE_MIN/MAX)."""

    def validate(self, value):
        super().validate(value)
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
        if day is not None and not in_date_window(day):
            raise ValidationError(DATE_WINDOW_MESSAGE, code="date_out_of_range")


class DateField(_DateWindow, forms.DateField):
    pass


class DateTimeField(_DateWindow, forms.DateTimeField):
    pass


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
