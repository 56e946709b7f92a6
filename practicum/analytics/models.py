from django.db import models


class MonthEnd(models.Model):
    """An organization's reciprocity index, and its check-ins component, as they stood at the
    end of a past month: replayed from the histories once (services.organization_over_time, or
    the periodic job early in the month) and read from here after, so the chart of the last
    months costs one query instead of replaying every event six times (issue 14). A month's
    figure is kept as it was when the month ended."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # The first moment of the next month (UTC), as selectors.month_ends() gives it.
    at = models.DateTimeField()
    index = models.FloatField(null=True)
    checkins = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "at"], name="one_figure_per_month_end")
        ]
        indexes = [models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.organization_id} at {self.at:%Y-%m-%d}: {self.index}"
