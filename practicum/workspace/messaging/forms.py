from django import forms

from practicum.core.forms import TextField
from practicum.workspace.messaging.models import BODY_MAX


class MessageForm(forms.Form):
    # The length is checked by the service after line endings are normalized, the way the
    # browser counts them for the textarea's maxlength.
    body = TextField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX}),
        error_messages={"required": "Write a message."},
        help_text=f"Markdown: **bold**, *italic*, lists, links. Up to {BODY_MAX:,} characters.",
    )
    is_question = forms.BooleanField(
        label="This is a question: it stays open until someone marks it answered",
        required=False,
    )


class AfterForm(forms.Form):
    """The polling fragment's query: the last message id the page shows (none: from the start)."""

    after = forms.IntegerField(min_value=0, required=False)

    def clean_after(self) -> int:
        return self.cleaned_data["after"] or 0
