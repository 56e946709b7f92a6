"""What the credentials app does when an engagement moves (registered on the lifecycle and on
the reviews' reveal, both run inside the transaction that made the change, so a credential that
cannot be issued undoes the change and nothing is half-written)."""

from practicum.credentials import services
from practicum.engagements import lifecycle
from practicum.reviews import rubric
from practicum.reviews.signals import round_revealed


@lifecycle.on("engagement", "complete")
def engagement_completed(engagement, *, by, at, **details) -> None:
    """Completed: the student receives the credential."""
    services.issue_for_completion(engagement, at=at)


def final_reviews_revealed(sender, *, engagement, round, at, **kwargs) -> None:
    """The final reviews are out: a completed engagement's credential takes in the skills the
    organization endorsed (a new version, the earlier one superseded)."""
    if round == rubric.FINAL:
        services.add_endorsements(engagement, at=at)


round_revealed.connect(final_reviews_revealed, dispatch_uid="credentials_final_reviews")
