from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now

from practicum.core.timezones import validate_timezone, zone_named
from practicum.profiles.models import StudentSkill
from practicum.projects import money
from practicum.projects.search import body_text, fold, store_documents

# How an unpaid project is shown to students, on pages and in the API.
UNPAID_LABEL = "Unpaid — for academic credit"

# The fields whose folded text Project.save() keeps in its search_* columns.
SEARCHED_FIELDS = frozenset({"title", "summary", "description", "objectives", "learning_outcomes"})


class Project(models.Model):
    """A micro-internship posting. Drafts may be incomplete; publishing validates everything."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ARCHIVED = "archived", "Archived"

    class ClosedReason(models.TextChoices):
        MANUAL = "manual", "Closed by the organization"
        FULL = "full", "All places are filled"
        DEADLINE = "deadline", "The application deadline has passed"

    class WorkMode(models.TextChoices):
        REMOTE = "remote", "Remote"
        ON_SITE = "on_site", "On-site"
        HYBRID = "hybrid", "Hybrid"

    class Cadence(models.TextChoices):
        TWICE_WEEKLY = "twice_weekly", "Twice a week"
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(
        blank=True, validators=[MaxLengthValidator(20_000)], help_text="Markdown"
    )
    objectives = models.JSONField(default=list, blank=True, help_text="Ordered list of strings")
    learning_outcomes = models.JSONField(default=list, blank=True)
    screening_questions = models.JSONField(default=list, blank=True, help_text="Up to 3")

    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    application_deadline = models.DateField(null=True, blank=True)
    estimated_hours = models.PositiveIntegerField(null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)

    # Money is an integer number of minor units (cents) plus an ISO 4217 currency code.
    compensation_amount = models.IntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    # The explicit choice to offer no pay, for academic credit instead: publishing needs either
    # a pay amount or this, so "no pay" is never an oversight, and students see it as such.
    unpaid = models.BooleanField(
        default=False, help_text="Unpaid — for academic credit (no compensation amount)"
    )
    capacity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    work_mode = models.CharField(max_length=10, choices=WorkMode.choices, default=WorkMode.REMOTE)
    location = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentored_projects",
    )
    checkin_cadence = models.CharField(
        max_length=15, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    checkin_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    checkin_time = models.TimeField(default="10:00")
    response_time_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1), MaxValueValidator(168)]
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Accepted applications whose engagement goes on (a cancelled one gives its place back);
    # kept by the engagement lifecycle, under the project's row lock.
    places_taken = models.PositiveIntegerField(default=0)
    # Times the project's page was opened by people outside its organization: the top of the
    # organization's funnel (views → applications → … → completed).
    view_count = models.PositiveIntegerField(default=0, editable=False)
    closed_reason = models.CharField(max_length=10, choices=ClosedReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What discovery searches, folded (search.fold: lower case, no accents). The first three
    # follow the fields above on every save(); the skills' names are kept by the service that
    # changes them (services.index_skills).
    search_title = models.TextField(blank=True, default="", editable=False)
    search_summary = models.TextField(blank=True, default="", editable=False)
    search_body = models.TextField(blank=True, default="", editable=False)
    search_skills = models.TextField(blank=True, default="", editable=False)
    # The four above as a weighted text-search vector (search.store_documents; PostgreSQL only),
    # indexed with GIN by migration 0007.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "application_deadline"]),
            models.Index(fields=["organization", "status"]),
            # Saved-search alerts: the projects published since a time.
            models.Index(fields=["status", "published_at"], name="project_published"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="project_capacity_at_least_1")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A save of other fields only (a status, places taken) leaves the search text alone:
        # folding renders the Markdown body, work the lifecycle's saves need not do.
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.fold_search_text()
        elif SEARCHED_FIELDS & set(update_fields):
            self.fold_search_text()
            kwargs["update_fields"] = {
                *update_fields,
                "search_title",
                "search_summary",
                "search_body",
            }
        super().save(*args, **kwargs)
        if update_fields is None or SEARCHED_FIELDS & set(update_fields):
            store_documents(type(self).objects.filter(pk=self.pk))

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    def fold_search_text(self) -> None:
        """Fill the search_* columns that follow the project's own fields (save() does; call it
        before a bulk_create, which skips save())."""
        self.search_title = fold(self.title)
        self.search_summary = fold(self.summary)
        self.search_body = body_text(self.description, self.objectives, self.learning_outcomes)

    @property
    def zone(self):
        """The project's time zone: every date of the project and of its engagements (due,
        overdue, half-way, payment due, the application deadline) is a day there."""
        return zone_named(self.timezone)

    @property
    def duration_days(self) -> int | None:
        """Days from start to end, both included."""
        if self.starts_on and self.ends_on:
            return (self.ends_on - self.starts_on).days + 1
        return None

    @property
    def duration_weeks(self) -> str:
        """The duration in weeks for people: "4", "3.9"."""
        days = self.duration_days
        return "" if days is None else f"{round(days / 7, 1):g}"

    @property
    def compensation_display(self) -> str:
        if self.unpaid:
            return UNPAID_LABEL
        if self.compensation_amount is None:
            return ""
        return money.format_money(self.compensation_amount, self.currency)

    @property
    def hourly_display(self) -> str:
        """The pay per estimated hour, e.g. "15.00 EUR"."""
        if self.unpaid or self.compensation_amount is None or not self.estimated_hours:
            return ""
        per_hour = money.to_major(self.compensation_amount, self.currency) / self.estimated_hours
        return money.format_money(per_hour, self.currency, minor=False)


class Deliverable(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(5_000)])
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "position", "pk"]

    def __str__(self):
        return self.title


class ProjectSkill(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    is_required = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_required", "-min_level", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "skill"], name="one_entry_per_project_skill"
            ),
            models.CheckConstraint(
                condition=Q(min_level__gte=1, min_level__lte=4), name="project_skill_level_1_to_4"
            ),
        ]

    def __str__(self):
        kind = "required" if self.is_required else "preferred"
        return f"{self.skill} ({kind}, level ≥ {self.min_level})"

    @property
    def min_level_display(self) -> str:
        """The level's name on the scale students rate themselves on (profiles)."""
        return StudentSkill.Level(self.min_level).label
