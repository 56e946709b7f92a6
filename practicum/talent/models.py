"""An organization's private talent list: students it worked with and would like to hire again.

An entry exists only while the student consents: they must be "open to future roles"
(StudentProfile.open_to_future_roles) when added, and turning that off, on the talent page or
on their profile, deletes every entry about them (see services.py and signals in apps.py).
Entries are read by the organization's members only; the student sees which organizations
listed them, never the notes or tags.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

NOTES_MAX = 5_000


class TalentEntry(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="talent_entries"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_entries"
    )
    # The completed engagement the student was added from (kept for the list's context).
    engagement = models.ForeignKey(
        "engagements.Engagement", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(
        blank=True, validators=[MaxLengthValidator(NOTES_MAX)], help_text="Markdown"
    )
    tags = models.JSONField(default=list, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "talent entries"
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student"], name="one_talent_entry_per_student"
            )
        ]

    def __str__(self):
        return f"{self.student} on the talent list of {self.organization}"
