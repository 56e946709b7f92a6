"""The reciprocity index over JSON: the same selectors, index and rules as the pages."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from practicum.accounts.models import Organization
from practicum.core.api import ErrorOut
from practicum.core.schemas import Id, Slug
from practicum.reciprocity import selectors

router = Router(tags=["reciprocity"])

ERRORS = {401: ErrorOut, 404: ErrorOut}


class ReciprocityComponentOut(Schema):
    key: str
    label: str
    numerator: int | float = Field(description="A count; for ratings, the average rating")
    denominator: int = Field(description="A count; for ratings, 5 (the top of the scale)")
    count: int = Field(description="How many facts the rate rests on")
    rate: float | None = Field(description="0–1; null when there is nothing to measure yet")
    weight: float = Field(description="Its weight in the index (the weights sum to 1)")
    sentence: str = Field(description='For people, e.g. "answered 17 of 19 questions within 24 h"')


class ReciprocityIndexOut(Schema):
    side: str = Field(description="organization or student")
    value: float | None = Field(
        description="0–100; null without enough history (or with nothing measured yet)"
    )
    enough_history: bool
    engagements: int = Field(description="Engagements of history counted")
    min_engagements: int = Field(description="Engagements of history the number needs")
    components: list[ReciprocityComponentOut]
    explained_at: str = Field(description="The page explaining the index and its weights")

    @staticmethod
    def resolve_explained_at(obj) -> str:
        return reverse("reciprocity:about")


@router.get(
    "/organizations/{slug}/reciprocity",
    response={200: ReciprocityIndexOut, **ERRORS},
    summary="An organization's reciprocity index (public)",
)
def organization_reciprocity(request, slug: Slug):
    organization = get_object_or_404(Organization, slug=slug)
    return selectors.organization_reciprocity(organization)


@router.get(
    "/students/{int:profile_id}/reciprocity",
    response={200: ReciprocityIndexOut, **ERRORS},
    summary="A student's reciprocity index (the student and organizations that see the profile)",
)
def student_reciprocity(request, profile_id: Id):
    """`profile_id` is the profile's id (as in /students/<id>/ pages), not the user's."""
    profile = selectors.visible_student_profile(request.user, profile_id)
    return selectors.student_reciprocity(profile.user)
