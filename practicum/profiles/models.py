from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class StudentProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile"
    )
    headline = models.CharField(max_length=140, blank=True)
    about = models.TextField(
        blank=True, validators=[MaxLengthValidator(10_000)], help_text="Markdown"
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
    )
    institution_name = models.CharField(
        max_length=200, blank=True, help_text="When the institution is not on Practicum yet"
    )
    programme = models.CharField(max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        "hours available per week",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    interests = models.JSONField(default=list, blank=True)
    learning_goals = models.JSONField(default=list, blank=True)
    portfolio_links = models.JSONField(default=list, blank=True)
    open_to_future_roles = models.BooleanField(default=False)
    discoverable = models.BooleanField("discoverable by organizations", default=False)
    # Stored under random names (core.images, profiles.cv) and served only through views that
    # check who may see them: never by a guessable or public URL.
    photo = models.FileField(max_length=255, blank=True)
    cv = models.FileField("CV", max_length=255, blank=True)
    cv_name = models.CharField("CV file name", max_length=200, blank=True)
    cv_size = models.PositiveIntegerField("CV size in bytes", null=True, blank=True)
    cv_uploaded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The candidates index reads the profiles edited since its last look
            # (recommendations.adapter), a few of 100,000, on every request after an edit.
            models.Index(fields=["updated_at"], name="profile_updated"),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    def get_absolute_url(self):
        # /students/<profile pk>/ (the profile's id, not the user's).
        return reverse("profiles:student", args=[self.pk])

    @property
    def photo_version(self) -> str:
        """Changes with each new photo, so a URL carrying it is never answered from a stale
        cache."""
        return self.photo.name.rsplit("/", 1)[-1].split(".")[0] if self.photo else ""

    @property
    def institution_label(self) -> str:
        return self.institution.name if self.institution_id else self.institution_name


class StudentSkill(models.Model):
    class Level(models.IntegerChoices):
        BEGINNER = 1, "Beginner"
        WORKING = 2, "Working"
        PROFICIENT = 3, "Proficient"
        EXPERT = 4, "Expert"

    profile = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        ordering = ["-level", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="one_level_per_skill"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="skill_level_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"


class AvailabilityWindow(models.Model):
    profile = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="availability"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="window_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_on} – {self.ends_on}"
