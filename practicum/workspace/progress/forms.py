from django import forms

from practicum.core.forms import TextField
from practicum.workspace.progress.models import HOURS_MAX, HOURS_STEP, TEXT_MAX

MARKDOWN_HELP = "Markdown: **bold**, *italic*, lists, links."


def _markdown(label: str, *, required: bool, rows: int = 4) -> TextField:
    # Lengths and ranges are checked by the services, the one place for these rules.
    return TextField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX}),
        help_text=MARKDOWN_HELP,
    )


class ProgressUpdateForm(forms.Form):
    done = _markdown("Done since the last update", required=True)
    blockers = _markdown("Blockers", required=False, rows=2)
    next_steps = _markdown("Next", required=False, rows=2)
    hours = forms.DecimalField(
        label="Hours spent since the last update",
        widget=forms.NumberInput(attrs={"min": 0, "max": HOURS_MAX, "step": HOURS_STEP}),
        help_text="In quarter hours, e.g. 2.5. Enter 0 if you only report.",
    )


class ProgressCommentForm(forms.Form):
    body = _markdown("Comment", required=True, rows=2)
