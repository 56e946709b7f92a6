from django import forms

from practicum.core import uploads
from practicum.core.forms import TextField
from practicum.workspace.deliverables import services


class SubmissionForm(forms.Form):
    """A link and/or a file with a note. The size is checked here from what the upload
    declares; the type (read from the content) is checked by the service."""

    note = TextField(
        label="Note for the reviewer",
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you hand in and anything the reviewer should know. Markdown works.",
    )
    link = forms.URLField(
        label="Link",
        required=False,
        max_length=services.LINK_MAX,
        assume_scheme="https",
        help_text="A shared document, a repository, a folder…",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=(
            f"At most {uploads.MAX_FILE_SIZE // (1024 * 1024)} MB: {uploads.ALLOWED_LABEL}. "
            "Give a link, a file or both."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(f".{ext}" for ext in uploads.EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                uploads.check_size(upload)
            except uploads.FileRefused as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("link") and not data.get("file"):
            raise forms.ValidationError("Add a link, a file or both.", code="nothing_submitted")
        return data


class ReviewForm(forms.Form):
    """One feedback box for both buttons: optional to accept, required to request changes."""

    feedback = TextField(
        label="Feedback",
        required=False,
        max_length=services.FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional when you accept; say what should change when you request changes. "
        "Markdown works.",
        error_messages={"required": "Say what should change."},
    )

    def __init__(self, *args, required: bool, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["feedback"].required = required
