"""Reads for the learning plan: a fixed number of queries whatever the size of the plan."""

from dataclasses import dataclass, field

from practicum.engagements.models import Engagement
from practicum.skills.models import Skill
from practicum.workspace.learning.models import LearningItem, PractisedSkill

Kind = LearningItem.Kind


@dataclass
class Plan:
    """The plan by kind, in the order items were added."""

    goals: list[LearningItem] = field(default_factory=list)
    resources: list[LearningItem] = field(default_factory=list)
    training: list[LearningItem] = field(default_factory=list)

    @property
    def items(self) -> list[LearningItem]:
        return [*self.goals, *self.resources, *self.training]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.status == LearningItem.Status.DONE)


_LIST_OF = {Kind.GOAL: "goals", Kind.RESOURCE: "resources", Kind.TRAINING: "training"}


def plan_of(engagement: Engagement) -> Plan:
    """Every item of the plan with who added it: one query."""
    plan = Plan()
    items = (
        LearningItem.objects.filter(engagement=engagement)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )
    for item in items:
        getattr(plan, _LIST_OF[item.kind]).append(item)
    return plan


def item_of(engagement: Engagement, item_id: int) -> LearningItem | None:
    return (
        LearningItem.objects.filter(engagement=engagement, pk=item_id)
        .select_related("created_by")
        .first()
    )


def practised_skills(engagement: Engagement) -> list[PractisedSkill]:
    """Contract (the reviews suggest endorsements from it): the skills the organization
    recorded as practised on the engagement, by skill name, each with its skill (and
    category), note, recorded_by and recorded_at. One query."""
    return list(
        PractisedSkill.objects.filter(engagement=engagement)
        .select_related("skill__category", "recorded_by")
        .order_by("skill__name", "pk")
    )


def skill_choices(engagement: Engagement, *, found: list[Skill], chosen_id=None) -> list[Skill]:
    """The skills the record form offers: those the project asks for, those a search found and
    the one already chosen (a form shown again), without duplicates. At most two queries."""
    skills = [wanted.skill for wanted in engagement.project.skills.select_related("skill")]
    skills += found
    ids = {skill.pk for skill in skills}
    if isinstance(chosen_id, int) and chosen_id not in ids:
        skills += list(Skill.objects.filter(pk=chosen_id))
    unique = {skill.pk: skill for skill in skills}
    return sorted(unique.values(), key=lambda skill: skill.name.casefold())
