"""Saved discovery searches and the projects each has already announced."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class SavedSearch(models.Model):
    """A student's discovery search, kept with a name and how often to hear of new matches.

    `query` is the discovery query string as the filter form normalizes it (services.normalize),
    so the page, the API and the alert pass read the same filters. The alert pass finds the
    searches due by `next_run_at` (empty when alerts are off) and looks at projects published
    after `checked_until`.
    """

    class Frequency(models.TextChoices):
        INSTANT = "instant", "As soon as they are published"
        DAILY = "daily", "Once a day"
        WEEKLY = "weekly", "Once a week"
        OFF = "off", "No alerts"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(default=timezone.now)
    checked_until = models.DateTimeField(default=timezone.now)
    next_run_at = models.DateTimeField(null=True, blank=True)
    # Bumped whenever alerts are switched off: an emailed unsubscribe link names the version it
    # was made for, so each works once.
    link_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_run_at"], name="saved_search_due"),
            models.Index(fields=["student", "created_at"], name="saved_search_of_student"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alerts:list")

    @property
    def results_url(self) -> str:
        url = reverse("projects:discover")
        return f"{url}?{self.query}" if self.query else url


class SavedSearchHit(models.Model):
    """A project a saved search has announced: never the same one twice."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "project"], name="one_hit_per_search_project")
        ]

    def __str__(self):
        return f"{self.search_id} → {self.project_id}"
