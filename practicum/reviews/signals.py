"""What reviews announce to the apps above it, which it cannot import."""

from django.dispatch import Signal

# Sent inside the reveal's transaction, with `engagement`, `round` and `at`, once a round's
# reviews are revealed (and, for the final round, the organization's endorsements have become
# verified skills): the credentials app issues a credential that carries them.
round_revealed = Signal()
