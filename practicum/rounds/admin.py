from django.contrib import admin

from practicum.rounds.models import MatchRound, RoundProject, RoundResult, RoundStudent


class RoundProjectInline(admin.TabularInline):
    model = RoundProject
    fields = ["project", "capacity", "places_at_run", "ranking_method", "ranked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MatchRound)
class MatchRoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "institution",
        "organization",
        "state",
        "ranking_deadline",
        "created_at",
    ]
    list_filter = ["state"]
    search_fields = ["name", "institution__name", "organization__name"]
    list_select_related = ["institution", "organization"]
    raw_id_fields = ["institution", "organization", "created_by"]
    # The state moves only through the services (transitions.py), which also keep the results
    # and the offers in step; the admin shows it.
    readonly_fields = ["state", "created_at", "state_changed_at", "matched_at", "published_at"]
    inlines = [RoundProjectInline]


@admin.register(RoundStudent)
class RoundStudentAdmin(admin.ModelAdmin):
    list_display = ["student", "round", "added_at"]
    search_fields = ["student__email", "student__name", "round__name"]
    list_select_related = ["student", "round"]
    raw_id_fields = ["round", "student"]


@admin.register(RoundResult)
class RoundResultAdmin(admin.ModelAdmin):
    """Results are written by the run; the admin reads them."""

    list_display = ["round_student", "round_project", "choice", "reason"]
    list_filter = ["reason", "round_student__round__state"]
    list_select_related = [
        "round_student__student",
        "round_student__round",
        "round_project__project",
    ]
    search_fields = ["round_student__student__email", "round_student__round__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
