from django import forms

from practicum.core.forms import TextField
from practicum.profiles.models import StudentSkill
from practicum.reviews import rubric

YES_NO = [("yes", "Yes"), ("no", "No")]


class ReviewForm(forms.Form):
    """One side's review of one round: a radio group per criterion whose choices are the
    rubric's sentences, the two texts, the yes/no question where the round asks it, a level
    for each skill the organization may endorse (final round), and the private note. The
    service checks everything again (the API has no form)."""

    strengths = TextField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=rubric.TEXT_MAX
    )
    to_improve = TextField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=rubric.TEXT_MAX
    )
    private_note = TextField(
        label="Private note to the Practicum team",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=rubric.NOTE_MAX,
    )

    def __init__(self, *args, side: str, round: str, skills=(), review=None, **kwargs):
        kwargs.setdefault("prefix", round)
        if review is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial(review)
        super().__init__(*args, **kwargs)
        self.side, self.round = side, round
        self.criteria = rubric.criteria_for(side)
        score_fields = {
            c.key: forms.TypedChoiceField(
                label=c.label,
                help_text=c.question,
                choices=c.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
            for c in self.criteria
        }
        # Scores first, in rubric order, then the texts.
        self.fields = {**score_fields, **self.fields}
        self.fields["strengths"].label = rubric.wording(side, "strengths")
        self.fields["to_improve"].label = rubric.wording(side, "to_improve")
        reviewed = rubric.wording(side, "reviewed")
        self.fields["private_note"].help_text = (
            f"Only the Practicum team reads this; {reviewed} never sees it, "
            "even after the reviews are revealed."
        )
        if rubric.asks_recommend(side, round):
            self.fields["recommend"] = forms.ChoiceField(
                label=rubric.wording(side, "recommend"), choices=YES_NO, widget=forms.RadioSelect
            )
        self.skills = list(skills) if rubric.asks_endorsements(side, round) else []
        for skill in self.skills:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=[("", "Not observed"), *StudentSkill.Level.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )

    @property
    def score_fields(self):
        return [self[c.key] for c in self.criteria]

    @property
    def skill_fields(self):
        return [self[f"skill_{skill.pk}"] for skill in self.skills]

    def to_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {c.key: data[c.key] for c in self.criteria},
            "strengths": data["strengths"],
            "to_improve": data["to_improve"],
            "private_note": data["private_note"],
            "recommend": (data["recommend"] == "yes") if "recommend" in self.fields else None,
            "endorsements": [
                {"skill": skill.pk, "level": data[f"skill_{skill.pk}"]}
                for skill in self.skills
                if data.get(f"skill_{skill.pk}") is not None
            ],
        }


def _initial(review) -> dict:
    initial = {
        **review.scores,
        "strengths": review.strengths,
        "to_improve": review.to_improve,
        "private_note": review.private_note,
        **{f"skill_{e.skill_id}": e.level for e in review.endorsements.all()},
    }
    if review.recommend is not None:
        initial["recommend"] = "yes" if review.recommend else "no"
    return initial
