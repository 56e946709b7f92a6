from django import forms
from django.core.exceptions import ValidationError

from practicum.completion import services
from practicum.core.forms import DateField, LineField, TextField
from practicum.projects import money


class CompleteForm(forms.Form):
    """Completion with every deliverable accepted: an optional closing note."""

    reason = TextField(
        label="Closing note for the student (optional)",
        required=False,
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="complete", **kwargs)


class PartialCompleteForm(forms.Form):
    reason = TextField(
        label="Why the engagement ends without every deliverable accepted",
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The student reads this.",
        error_messages={"required": "Give a reason."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="partial", **kwargs)


class PaymentForm(forms.Form):
    """The amount is typed in the currency's major units (600.00) and stored in minor units."""

    amount = forms.DecimalField(label="Amount paid", min_value=0, max_digits=14)
    paid_on = DateField(
        label="Date paid", widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD"
    )
    reference = LineField(
        label="Reference (optional)",
        required=False,
        max_length=services.REFERENCE_MAX,
        help_text="A transfer reference or invoice number the student can look up.",
    )
    difference_reason = forms.CharField(
        label="Why the amount differs from the amount agreed",
        required=False,
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the amount paid is not the amount agreed; the student reads it.",
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, prefix="payment", **kwargs)
        self.currency = currency
        self.fields["amount"].label = f"Amount paid ({currency})"

    def clean_amount(self) -> int:
        try:
            minor = money.to_minor(self.cleaned_data["amount"], self.currency)
        except ValueError as exc:
            raise ValidationError(f"{str(exc).capitalize()}.") from exc
        if minor <= 0:
            raise ValidationError("Enter an amount greater than zero.")
        if minor > money.MAX_MINOR_UNITS:
            raise ValidationError("This amount is too large.")
        return minor


class DisputeForm(forms.Form):
    reason = TextField(
        label="What is wrong with this payment",
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: not received, or a different amount. The organization reads this.",
        error_messages={"required": "Give a reason."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="dispute", **kwargs)
