from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from practicum.core.forms import DateField, LineField, TextField, errors_by_field
from practicum.engagements import agreements, services, terms
from practicum.engagements.models import Application
from practicum.engagements.selectors import Sort
from practicum.projects import money
from practicum.projects.models import Project


class ApplicationForm(forms.Form):
    """A student's application: the pitch, the availability check, one answer per question."""

    pitch = TextField(
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
            self.fields[self.answer_field(index)] = TextField(
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
        errors_by_field(self, exc)


class OfferForm(forms.Form):
    message = TextField(
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
    message = TextField(
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
    overdue = forms.BooleanField(label="Waiting over 14 days for an answer", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=Sort.CHOICES)

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "meets_required": bool(data.get("meets_required")),
            "overdue": bool(data.get("overdue")),
            "sort": data.get("sort") or Sort.NEWEST,
        }


class IdListField(forms.Field):
    """Ids of the ticked checkboxes: whole numbers, at most services.BULK_MAX of them."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Select at least one applicant.",
        "invalid": "Select applicants from the list.",
    }

    def to_python(self, value) -> list[int]:
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(value) > services.BULK_MAX:
            raise ValidationError(
                "Select at most %(max)s applicants at once.",
                code="too_many",
                params={"max": services.BULK_MAX},
            )
        # Digits only, and few enough that the number fits the database's integers.
        digits = (isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 13 for v in value)
        if not all(digits):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(v) for v in value]


class BulkForm(forms.Form):
    """Several applicants at once: the ticked ones, what to do, and the text for a rejection
    or a message, with {student}, {project} and {organization} filled in for each."""

    action = forms.ChoiceField(
        label="With the selected applicants",
        choices=[
            ("shortlist", "Shortlist"),
            ("reject", "Tell them they were not selected"),
            ("message", "Send them a message"),
        ],
    )
    applications = IdListField(label="Applicants")
    rejection = TextField(
        label="Note to those not selected",
        required=False,
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Sent with “not selected”; edit it before sending.",
    )
    message = TextField(
        label="Message",
        required=False,
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent with “Send them a message”.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"rejection": services.DEFAULT_REJECTION})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("action") == "message" and not data.get("message"):
            self.add_error("message", "Write the message to send.")
        return data

    def text(self) -> str:
        """The template the chosen action sends (none for a shortlist)."""
        data = self.cleaned_data
        return {"reject": data["rejection"], "message": data["message"]}.get(data["action"], "")


class DeliverableForm(forms.Form):
    key = LineField(required=False, widget=forms.HiddenInput)
    title = LineField(label="Deliverable", max_length=terms.TITLE_MAX, required=False)
    due_on = DateField(
        label="Due on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = TextField(
        label="Description",
        required=False,
        max_length=terms.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# One blank row to add a deliverable; a row left without a title, or ticked, is removed.
DeliverableFormSet = forms.formset_factory(DeliverableForm, extra=1, can_delete=True)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class TermsForm(forms.Form):
    """Changed terms: an edit to the draft before signing, or an amendment (reason required)
    while active. It starts from the terms shown, so people change only what they mean to."""

    objectives = TextField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line."
    )
    learning_goals = TextField(
        label="Learning goals",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One per line.",
    )
    starts_on = DateField(label="Starts on", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(label="Ends on", widget=forms.DateInput(attrs={"type": "date"}))
    estimated_hours = forms.IntegerField(label="Estimated hours in all", min_value=1)
    hours_per_week = forms.IntegerField(
        label="Hours per week", min_value=1, max_value=terms.HOURS_PER_WEEK_MAX
    )
    compensation = forms.DecimalField(label="Compensation", min_value=0, decimal_places=2)
    currency = LineField(max_length=3)
    checkin_cadence = forms.ChoiceField(label="Check-ins", choices=Project.Cadence.choices)
    checkin_weekday = forms.TypedChoiceField(
        label="Check-in day", choices=Project.Weekday.choices, coerce=int
    )
    checkin_time = forms.TimeField(
        label="Check-in time", widget=forms.TimeInput(attrs={"type": "time"})
    )
    response_time_hours = forms.IntegerField(
        label="Organization's response time (hours)",
        min_value=1,
        max_value=terms.RESPONSE_HOURS_MAX,
    )
    student_hours_per_week = forms.IntegerField(
        label="Student's hours per week", min_value=1, max_value=terms.HOURS_PER_WEEK_MAX
    )
    student_response_time_hours = forms.IntegerField(
        label="Student's response time (hours)", min_value=1, max_value=terms.RESPONSE_HOURS_MAX
    )
    reason = TextField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=agreements.REASON_MAX
    )

    def __init__(self, data=None, *, current: dict, amendment: bool, prefix: str):
        initial = {
            **current,
            "objectives": "\n".join(current.get("objectives") or []),
            "learning_goals": "\n".join(current.get("learning_goals") or []),
            "compensation": money.to_major(current["compensation_amount"], current["currency"])
            if current.get("compensation_amount") is not None
            else None,
        }
        super().__init__(data, initial=initial, prefix=prefix)
        if amendment:
            # An amendment is signed by its proposer as it is proposed.
            self.fields["reason"].required = True
            self.fields["full_name"] = LineField(
                label="Type your full name to sign the proposal", max_length=150
            )
        self.deliverables = DeliverableFormSet(
            data,
            initial=[{**d, "due_on": d.get("due_on")} for d in current.get("deliverables") or []],
            prefix=f"{prefix}-deliverables",
        )

    def is_valid(self) -> bool:
        # Both, so every error shows at once.
        return all([super().is_valid(), self.deliverables.is_valid()])

    def clean_currency(self):
        currency = self.cleaned_data["currency"].upper()
        if not money.is_currency(currency):
            raise ValidationError("Enter an ISO 4217 currency code such as EUR.")
        return currency

    def changes(self) -> dict:
        data = self.cleaned_data
        compensation = data.get("compensation")
        return {
            "objectives": _lines(data["objectives"]),
            "learning_goals": _lines(data["learning_goals"]),
            "deliverables": [
                {
                    "key": row["key"],
                    "title": row["title"],
                    "description": row["description"],
                    "due_on": row["due_on"].isoformat() if row.get("due_on") else None,
                }
                for row in self.deliverables.cleaned_data
                if row and row.get("title") and not row.get("DELETE")
            ],
            "starts_on": data["starts_on"].isoformat(),
            "ends_on": data["ends_on"].isoformat(),
            "estimated_hours": data["estimated_hours"],
            "hours_per_week": data["hours_per_week"],
            "compensation_amount": money.to_minor(compensation, data["currency"]),
            "currency": data["currency"],
            "checkin_cadence": data["checkin_cadence"],
            "checkin_weekday": data["checkin_weekday"],
            "checkin_time": data["checkin_time"].strftime("%H:%M"),
            "response_time_hours": data["response_time_hours"],
            "student_hours_per_week": data["student_hours_per_week"],
            "student_response_time_hours": data["student_response_time_hours"],
        }


class SignForm(forms.Form):
    version_number = forms.IntegerField(widget=forms.HiddenInput)
    full_name = LineField(
        label="Type your full name to sign", max_length=150, help_text="As on your account."
    )
    student_hours_per_week = forms.IntegerField(
        label="Hours a week I will work",
        min_value=1,
        max_value=terms.HOURS_PER_WEEK_MAX,
        required=False,
    )
    student_response_time_hours = forms.IntegerField(
        label="I will answer messages within (hours)",
        min_value=1,
        max_value=terms.RESPONSE_HOURS_MAX,
        required=False,
    )

    def __init__(self, *args, student: bool, **kwargs):
        super().__init__(*args, prefix="sign", **kwargs)
        if student:
            for name in agreements.STUDENT_COMMITMENT:
                self.fields[name].required = True
        else:
            for name in agreements.STUDENT_COMMITMENT:
                del self.fields[name]


class SignAmendmentForm(forms.Form):
    full_name = LineField(
        label="Type your full name to accept", max_length=150, help_text="As on your account."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="accept", **kwargs)


class MentorForm(forms.Form):
    mentor = forms.TypedChoiceField(coerce=int, label="New mentor")

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, prefix="mentor", **kwargs)
        members = engagement.project.organization.memberships.select_related("user").order_by(
            "user__name"
        )
        self.fields["mentor"].choices = [
            (m.user_id, f"{m.user.name or m.user.email} ({m.get_role_display().lower()})")
            for m in members
            if m.user_id != engagement.mentor_id
        ]


class ReasonForm(forms.Form):
    reason = TextField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2_000)

    def __init__(self, *args, prefix: str, required: bool = True, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["reason"].required = required
