from django import forms
from django.core.exceptions import ValidationError

from practicum.core import images
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


class PictureField(forms.FileField):
    """A picture to upload (core.images proves and redraws it): the chooser offers the allowed
    types, and the help says them before `help_text`, what becomes of the picture."""

    def __init__(self, *, help_text: str, **kwargs):
        super().__init__(
            widget=forms.FileInput(attrs={"accept": images.ACCEPT}),
            help_text=(
                f"A {images.ALLOWED_LABEL} picture of at most "
                f"{images.MAX_UPLOAD_BYTES // (1024 * 1024)} MB. {help_text}"
            ),
            **kwargs,
        )


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
    """Show a service's ValidationError on the form, the one way every page does it.

    A form whose errors belong to rows or sections (a project's deliverables, a profile's
    skills, an application's answers) says where with its own `apply_service_errors`; any
    other form gets each error next to its field, or at the top.
    """
    placed = getattr(form, "apply_service_errors", None)
    if placed is not None:
        placed(exc)
    else:
        errors_by_field(form, exc)


def errors_by_field(form, exc: ValidationError) -> None:
    """Each error next to the field of the same name when the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
