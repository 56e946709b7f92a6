from django.contrib import admin

from practicum.reviews.models import Endorsement, Review, VerifiedSkill


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    raw_id_fields = ["skill"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Platform admins read reviews with their private notes here (nowhere else shows them)."""

    list_display = ["engagement", "round", "side", "author", "submitted_at", "revealed_at"]
    list_filter = ["round", "side", ("revealed_at", admin.EmptyFieldListFilter)]
    search_fields = ["engagement__project__title", "engagement__student__name", "private_note"]
    list_select_related = ["engagement__project", "engagement__student", "author"]
    raw_id_fields = ["engagement", "author"]
    inlines = [EndorsementInline]
    # Reveals and verified skills follow from these through the services only.
    readonly_fields = ["submitted_at", "updated_at", "revealed_at"]


@admin.register(VerifiedSkill)
class VerifiedSkillAdmin(admin.ModelAdmin):
    list_display = ["student", "skill", "level", "organization", "engagement", "verified_at"]
    list_select_related = ["student", "skill", "organization", "engagement"]
    search_fields = ["student__name", "skill__name", "organization__name"]
    raw_id_fields = ["student", "skill", "organization", "engagement", "endorsement"]
