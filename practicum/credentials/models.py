"""The Open Badges 3.0 credentials the platform issues to students for completed engagements.

A `Credential` keeps the credential exactly as it was signed (`document`, the JSON) and its
signature (`jwt`, the VC-JWT), so what the public pages and the API serve is byte for byte what
was signed. Nothing in a signed credential changes afterwards; what can change is said outside
it: revocation (published in the status list the credential points to), the student's choice
to hide it, and a newer version superseding it.

Versions: a credential is issued when the engagement is completed. If the final reviews are
revealed later and the organization endorsed skills, a new version is issued with those skills
(`awardedDate` keeps the first date) and the earlier one is marked superseded; it stays valid
and verifiable, since everything it says is still true. One version per engagement is current.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

REASON_MAX = 2_000


class Credential(models.Model):
    # Public and not guessable: the URL of a credential is its only key.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Engagements are never deleted (they protect their history); a demo reset is the exception.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="credentials"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    document = models.JSONField(help_text="The OpenBadgeCredential as signed")
    jwt = models.TextField(help_text="The VC-JWT (compact JWS) of the document")
    key_id = models.CharField(max_length=100, help_text="Thumbprint of the key that signed it")
    issued_at = models.DateTimeField(help_text="validFrom")
    awarded_at = models.DateTimeField(help_text="awardedDate: when the first version was issued")
    # Where the credential's revocation bit sits (BitstringStatusListEntry).
    status_list = models.PositiveIntegerField()
    status_index = models.PositiveIntegerField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    # The student's choice: the public page answers 404 to everybody else. Not a revocation:
    # the credential still verifies wherever the student presents it.
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["-issued_at", "pk"]
        indexes = [models.Index(fields=["student", "-issued_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_bit"
            ),
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_credential_per_engagement",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_has_reason",
            ),
        ]

    def __str__(self):
        return self.document.get("name", str(self.pk))

    def get_absolute_url(self):
        return reverse("credentials:detail", args=[self.pk])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None
