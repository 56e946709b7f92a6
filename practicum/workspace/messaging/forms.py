from django import forms

from practicum.core import uploads
from practicum.core.forms import TextField
from practicum.core.schemas import ID_MAX
from practicum.workspace.messaging.models import BODY_MAX
from practicum.workspace.messaging.services import ATTACHMENTS_MAX_TOTAL, MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the list may be empty. Their rules (how many, type, size)
    are the service's (check_attachments), so the page and the API refuse the same files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def _body_field(label: str) -> TextField:
    # The length is checked by the service after line endings are normalized, the way the
    # browser counts them for the textarea's maxlength.
    return TextField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX}),
        error_messages={"required": "Write a message."},
        help_text=f"Markdown: **bold**, *italic*, lists, links. Up to {BODY_MAX:,} characters.",
    )


class MessageForm(forms.Form):
    body = _body_field("Your message")
    is_question = forms.BooleanField(
        label="This is a question: it stays open until someone marks it answered",
        required=False,
    )
    files = MultipleFileField(
        label="Files",
        required=False,
        help_text=(
            f"Up to {MAX_ATTACHMENTS} files, {ATTACHMENTS_MAX_TOTAL // (1024 * 1024)} MB in all: "
            f"{uploads.ALLOWED_LABEL}."
        ),
        widget=MultipleFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in uploads.EXTENSIONS)}
        ),
    )
    # The message replied to: checked by the service (this thread only).
    quote = forms.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, widget=forms.HiddenInput
    )


class EditForm(forms.Form):
    body = _body_field("Message")


class AfterForm(forms.Form):
    """The polling fragment's query: the last message id the page shows (none: from the start)."""

    after = forms.IntegerField(min_value=0, required=False)

    def clean_after(self) -> int:
        return self.cleaned_data["after"] or 0
