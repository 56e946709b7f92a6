"""Reads for student profiles: querysets with their joins, so pages do a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from practicum.profiles.models import StudentProfile, StudentSkill


def profiles_with_details():
    """Profiles with everything a profile page or the API shows, in three queries in all."""
    return StudentProfile.objects.select_related("user", "institution").prefetch_related(
        Prefetch("skills", StudentSkill.objects.select_related("skill__category")),
        "availability",
    )


def profile_for_page(pk: int) -> StudentProfile | None:
    return profiles_with_details().filter(pk=pk).first()


def profile_by_pk(pk: int) -> StudentProfile | None:
    """The profile alone (its photo or CV): one query."""
    return StudentProfile.objects.filter(pk=pk).first()


def own_profile_for_page(user) -> StudentProfile | None:
    return profiles_with_details().filter(user=user).first()


@dataclass
class SkillGroup:
    category: object  # SkillCategory
    skills: list  # [StudentSkill], strongest first


def skills_by_category(profile: StudentProfile) -> list[SkillGroup]:
    """The profile's (prefetched) skills grouped by taxonomy category, in taxonomy order."""
    groups: dict[int, SkillGroup] = {}
    for held in profile.skills.all():
        category = held.skill.category
        groups.setdefault(category.pk, SkillGroup(category, [])).skills.append(held)
    return sorted(groups.values(), key=lambda g: (g.category.position, g.category.name))
