from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from practicum.core.forms import apply_errors
from practicum.engagements import services
from practicum.engagements.models import Application
from practicum.engagements.selectors import Sort


class ApplicationForm(forms.Form):
    """A student's application: the pitch, the availability check, one answer per question."""

    pitch = forms.CharField(
        label="Why you, for this project",
        max_length=services.PITCH_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"At most {services.PITCH_MAX:,} characters. Markdown works.",
    )
    availability_confirmed = forms.BooleanField(
        label="I can work these hours on these dates",
        error_messages={"required": "Confirm that you can work the project's hours on its dates."},
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if project.starts_on and project.ends_on and project.hours_per_week:
            self.fields["availability_confirmed"].label = (
                f"I can work {project.hours_per_week} hours a week from "
                f"{date_format(project.starts_on, 'j M Y')} to "
                f"{date_format(project.ends_on, 'j M Y')}"
            )
        self.questions = list(project.screening_questions or [])
        for index, question in enumerate(self.questions):
            self.fields[self.answer_field(index)] = forms.CharField(
                label=question,
                max_length=services.ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": "Answer this question."},
            )

    @staticmethod
    def answer_field(index: int) -> str:
        return f"answer_{index + 1}"

    def answer_fields(self):
        return [self[self.answer_field(index)] for index in range(len(self.questions))]

    def to_data(self) -> dict:
        return {
            "pitch": self.cleaned_data["pitch"],
            "availability_confirmed": self.cleaned_data["availability_confirmed"],
            "answers": [
                self.cleaned_data[self.answer_field(i)] for i in range(len(self.questions))
            ],
        }

    def apply_service_errors(self, exc: ValidationError) -> None:
        """The service reports all answers under "answers" with the question's index."""
        if hasattr(exc, "error_dict") and "answers" in exc.error_dict:
            for error in exc.error_dict.pop("answers"):
                index = (error.params or {}).get("index")
                field = self.answer_field(index) if index is not None else None
                self.add_error(field if field in self.fields else None, error)
            if not exc.error_dict:
                return
        apply_errors(self, exc)


class OfferForm(forms.Form):
    message = forms.CharField(
        label="Message with the offer",
        required=False,
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. What happens next, who they will work with.",
    )
    expires_in_days = forms.IntegerField(
        label="Offer valid for (days)",
        initial=services.OFFER_DAYS_DEFAULT,
        min_value=services.OFFER_DAYS_MIN,
        max_value=services.OFFER_DAYS_MAX,
        help_text=f"{services.OFFER_DAYS_MIN}–{services.OFFER_DAYS_MAX} days.",
    )


class RejectForm(forms.Form):
    message = forms.CharField(
        label="Message with the decision",
        required=False,
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, and shown to the student. A kind word goes a long way.",
    )


class ApplicantFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Application.Status.choices],
    )
    meets_required = forms.BooleanField(label="Meets all required skills", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=Sort.CHOICES)

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "meets_required": bool(data.get("meets_required")),
            "sort": data.get("sort") or Sort.NEWEST,
        }
