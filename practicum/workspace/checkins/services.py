def schedule(engagement, terms) -> None:
    """Contract: (re)generate the engagement's upcoming check-ins from the terms in force."""


def cancel_upcoming(engagement) -> None:
    """Contract: call off the check-ins still to come."""
