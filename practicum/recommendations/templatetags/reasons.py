"""``{{ reason|sentence:"about_student" }}``: the engine's reason codes in words, in templates
(see practicum.recommendations.reasons; the audience is "student" when left out)."""

from django import template

from practicum.recommendations import reasons

register = template.Library()


@register.filter
def sentence(reason, audience: str = reasons.Audience.STUDENT) -> str:
    """A Reason, or a bare code such as a round result's ``reason``, as a sentence."""
    return reasons.sentence(reason, audience)
