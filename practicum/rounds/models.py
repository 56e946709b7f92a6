"""Cohort match rounds: students and organizations rank each other, one stable match is run.

A round belongs to one body: an institution (its career-center staff run it) or an
organization (its owners run it, for the organization's own programme). Its state moves only
through the table in rounds/transitions.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practicum.matching.reasons import UnmatchedReason
from practicum.recommendations.reasons import Audience, sentence

# A student ranks at most this many of the round's projects.
MAX_CHOICES = 10


class MatchRound(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        RANKING = "ranking", "Ranking open"
        MATCHED = "matched", "Matched (preview)"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=200)
    institution = models.ForeignKey(
        "accounts.Institution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="match_rounds",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="match_rounds",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    ranking_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Students rank projects until then"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)
    matched_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, organization__isnull=True)
                | Q(institution__isnull=True, organization__isnull=False),
                name="match_round_owned_by_exactly_one_body",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rounds:detail", args=[self.pk])

    @property
    def owner(self):
        """The institution or organization that runs the round."""
        return self.institution or self.organization

    @property
    def owner_name(self) -> str:
        return self.owner.name

    def deadline_passed(self, now=None) -> bool:
        return self.ranking_deadline is not None and self.ranking_deadline <= (
            now or timezone.now()
        )


class RoundProject(models.Model):
    """A project in a round, with the places it offers there (at most its remaining places)."""

    class RankingMethod(models.TextChoices):
        MANUAL = "manual", "Ranked by the organization"
        FIT = "fit", "Fit-score order"

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="projects")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="round_entries"
    )
    capacity = models.PositiveSmallIntegerField()
    # The places the run used: the capacity, less any taken outside the round since.
    places_at_run = models.PositiveSmallIntegerField(null=True, blank=True)
    ranking_method = models.CharField(max_length=10, choices=RankingMethod.choices, blank=True)
    ranked_at = models.DateTimeField(null=True, blank=True)
    ranked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "project__title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project"], name="one_entry_per_round_project"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="round_project_capacity_at_least_1"
            ),
        ]

    def __str__(self):
        return f"{self.project} in {self.round}"


class RoundStudent(models.Model):
    """A student eligible to rank the round's projects."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="students")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_entries"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "student__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="one_entry_per_round_student")
        ]

    def __str__(self):
        return f"{self.student} in {self.round}"


class ProjectChoice(models.Model):
    """One line of a student's ranking: position 1 is the project they want most."""

    round_student = models.ForeignKey(
        RoundStudent, on_delete=models.CASCADE, related_name="choices"
    )
    round_project = models.ForeignKey(
        RoundProject, on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["round_student", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round_student", "position"], name="one_project_per_choice_position"
            ),
            models.UniqueConstraint(
                fields=["round_student", "round_project"], name="one_choice_per_project"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_CHOICES),
                name="choice_position_1_to_max",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.round_project.project}"


class ApplicantRank(models.Model):
    """One line of a project's ranking of the round students who ranked it."""

    round_project = models.ForeignKey(
        RoundProject, on_delete=models.CASCADE, related_name="applicant_ranks"
    )
    round_student = models.ForeignKey(
        RoundStudent, on_delete=models.CASCADE, related_name="ranked_by_projects"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["round_project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round_project", "position"], name="one_student_per_rank_position"
            ),
            models.UniqueConstraint(
                fields=["round_project", "round_student"], name="one_rank_per_applicant"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="rank_position_at_least_1"),
        ]

    def __str__(self):
        return f"{self.position}. {self.round_student.student}"


class RoundResult(models.Model):
    """What the run gave one student: a project and which choice it was, or why none."""

    round_student = models.OneToOneField(
        RoundStudent, on_delete=models.CASCADE, related_name="result"
    )
    round_project = models.ForeignKey(
        RoundProject, null=True, blank=True, on_delete=models.CASCADE, related_name="results"
    )
    choice = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Which of the student's choices the project was (1 = first)",
    )
    # The engine's codes; the labels (the admin's) are the sentences about the student.
    reason = models.CharField(
        max_length=20,
        choices=[(code.value, sentence(code, Audience.ABOUT_STUDENT)) for code in UnmatchedReason],
        blank=True,
    )
    application = models.ForeignKey(
        "engagements.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The offer made when the round was published",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(round_project__isnull=False, choice__isnull=False, reason="")
                | (Q(round_project__isnull=True, choice__isnull=True) & ~Q(reason="")),
                name="round_result_matched_or_has_reason",
            )
        ]

    def __str__(self):
        if self.round_project_id is None:
            return f"{self.round_student.student}: unmatched ({self.reason})"
        return f"{self.round_student.student}: choice {self.choice}"

    @property
    def is_matched(self) -> bool:
        return self.round_project_id is not None
