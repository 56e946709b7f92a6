from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from practicum.core.state_machine import Transition, TransitionTable


class LearningItem(models.Model):
    """One line of an engagement's learning plan: a goal, a resource or a training item, with
    where it stands. Goals from the agreement keep the agreement's wording; when an amendment
    drops one, it stays in the plan marked as no longer in the agreement (what was learnt
    towards it is part of the record)."""

    class Kind(models.TextChoices):
        GOAL = "goal", "Goal"
        RESOURCE = "resource", "Resource"
        TRAINING = "training", "Training"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="learning_items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=500)
    url = models.URLField("link", max_length=500, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    # A goal written into the agreement's learning_goals; its text is the agreement's.
    from_agreement = models.BooleanField(default=False)
    # False once the terms in force no longer list it (only meaningful with from_agreement).
    in_agreement = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "created_at", "pk"]
        constraints = [
            # sync_goals matches agreement goals by their text, so a goal appears once.
            models.UniqueConstraint(
                fields=["engagement", "title"],
                condition=Q(kind="goal"),
                name="one_learning_goal_per_text",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class PractisedSkill(models.Model):
    """A skill of the taxonomy the organization says the student practised during the
    engagement; the reviews suggest endorsements from these rows."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="practised_skills"
    )
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "skill"], name="one_practised_skill_per_engagement"
            )
        ]

    def __str__(self):
        return f"{self.skill} practised on engagement {self.engagement_id}"


def _refusal(state: str, action: str) -> str:
    return f"This item is {LearningItem.Status(state).label.lower()} already."


# Either party moves an item freely between its states; the action is named by its target.
LEARNING_STATES = TransitionTable(
    [
        Transition(status, frozenset(LearningItem.Status.values) - {status}, status, label)
        for status, label in LearningItem.Status.choices
    ],
    refusal=_refusal,
)
