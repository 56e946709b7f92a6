def sync_goals(engagement, terms) -> None:
    """Contract: make the terms' learning goals part of the engagement's learning plan."""
