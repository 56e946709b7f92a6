from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_MAX = 100


class IdempotencyKey(models.Model):
    """One create, done once: a person's key (a page's form token or an API client's
    `Idempotency-Key` header) for one action on one object, and what that action made.

    practicum.core.idempotency writes these; a second request with the same key gets the first
    result instead of a second record.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The action and the object it acts on, e.g. "progress.post_update:12".
    scope = models.CharField(max_length=150)
    key = models.CharField(max_length=KEY_MAX)
    # What the action made ("app_label.ModelName" and its primary key), written in the same
    # transaction as the claim: a failed action leaves no key behind.
    result_model = models.CharField(max_length=100, blank=True)
    result_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="one_result_per_key")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.scope} {self.key}"
