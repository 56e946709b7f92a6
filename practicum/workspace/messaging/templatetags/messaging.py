from django import template

from practicum.workspace.messaging.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context, engagement) -> int:
    """Messages in the engagement's thread the viewer has not read (one query; 0 for a viewer
    who keeps no read marker)."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return unread_count(user, engagement)
