from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practicum.engagements.models import Side
from practicum.profiles.models import StudentSkill
from practicum.reviews import rubric


class Review(models.Model):
    """One side's feedback on the other in one round of an engagement: one per (engagement,
    round, side), `side` being the side that wrote it (the mentor or an owner write the
    organization's). Hidden from the other side until it is revealed (both submitted, or the
    round's window closed); editable until then, never after.

    `private_note` is for the platform only: the other side never sees it (pages, API, events),
    nor does career-center staff; platform admins read it in the Django admin only.
    """

    class Round(models.TextChoices):
        MIDPOINT = rubric.MIDPOINT, "Mid-point"
        FINAL = rubric.FINAL, "Final"

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="reviews"
    )
    round = models.CharField(max_length=10, choices=Round.choices)
    side = models.CharField("written by", max_length=12, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {criterion key: 1..5}; the keys are rubric.criteria_for(side).
    scores = models.JSONField(default=dict)
    strengths = models.TextField(blank=True, validators=[MaxLengthValidator(rubric.TEXT_MAX)])
    to_improve = models.TextField(blank=True, validators=[MaxLengthValidator(rubric.TEXT_MAX)])
    # The student: would recommend the organization; the organization (final round): would work
    # with the student again. Null where the round does not ask.
    recommend = models.BooleanField(null=True, blank=True)
    private_note = models.TextField(blank=True, validators=[MaxLengthValidator(rubric.NOTE_MAX)])
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when both sides had submitted, or by the periodic job once the window closed.
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["engagement", "round", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "round", "side"], name="one_review_per_round_and_side"
            )
        ]
        indexes = [models.Index(fields=["revealed_at"])]

    def __str__(self):
        return f"{self.get_round_display()} review by the {self.side} ({self.engagement_id})"

    @property
    def mean_score(self) -> float:
        values = list(self.scores.values())
        return sum(values) / len(values) if values else 0.0

    @property
    def score_rows(self) -> list[tuple[rubric.Criterion, int, str]]:
        """(criterion, score, the rubric sentence of that score), in rubric order."""
        return [
            (c, self.scores[c.key], c.sentence(self.scores[c.key]))
            for c in rubric.criteria_for(self.side)
            if c.key in self.scores
        ]

    @property
    def recommend_question(self) -> str:
        return rubric.wording(self.side, "recommend")

    @property
    def strengths_label(self) -> str:
        return rubric.wording(self.side, "strengths")

    @property
    def to_improve_label(self) -> str:
        return rubric.wording(self.side, "to_improve")


class Endorsement(models.Model):
    """A skill the organization saw the student demonstrate, with the level observed (the
    profile's self-assessment levels), given in a final review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="endorsements")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=StudentSkill.Level.choices)

    class Meta:
        ordering = ["-level", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "skill"], name="one_endorsement_per_skill"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="endorsement_level_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"


class VerifiedSkill(models.Model):
    """An endorsement that became public when its review was revealed: shown on the student's
    profile apart from the levels they gave themselves, with where it comes from."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_skills"
    )
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=StudentSkill.Level.choices)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="verified_skills"
    )
    # One per endorsement: revealing twice (both submitted, then the window closing) adds nothing.
    endorsement = models.OneToOneField(
        Endorsement, on_delete=models.CASCADE, related_name="verified"
    )
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-level", "skill__name", "-verified_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="verified_skill_level_1_to_4"
            )
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()}) verified for {self.student}"


class ScheduledRound(models.Model):
    """A feedback round's window as selectors.windows_of() gives it, stored so the periodic job
    finds the rounds that open or close now with an index instead of computing the windows of
    every engagement on every pass (issue 14). windows_of() stays the definition: these rows
    follow it whenever one of its inputs is saved (reviews/schedule.py)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+"
    )
    round = models.CharField(max_length=10, choices=Review.Round.choices)
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["engagement", "round"], name="one_window_per_round")
        ]
        indexes = [models.Index(fields=["opens_at"]), models.Index(fields=["due_at"])]

    def __str__(self):
        return f"{self.round} of {self.engagement_id}: {self.opens_at} – {self.due_at}"
