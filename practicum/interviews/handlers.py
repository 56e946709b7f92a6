"""What interviews do when an application moves (registered on engagements.lifecycle, run inside
the move's transaction): once the application is answered, its open interviews are called off."""

from practicum.engagements import lifecycle
from practicum.interviews import services

for _action in ("offer", "offer_from_round", "reject", "withdraw", "withdraw_offer"):
    lifecycle.on("application", _action)(services.call_off)
