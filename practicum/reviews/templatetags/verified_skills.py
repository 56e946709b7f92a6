"""`{% verified_skills_for user as verified %}`: lets reviews/_verified_skills.html be included
in pages whose views know nothing about reviews (the profile page)."""

from django import template

from practicum.reviews.selectors import verified_skills_of

register = template.Library()


@register.simple_tag
def verified_skills_for(student) -> list:
    return verified_skills_of(student)
