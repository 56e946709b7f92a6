from django.contrib import admin

from practicum.talent.models import TalentEntry


@admin.register(TalentEntry)
class TalentEntryAdmin(admin.ModelAdmin):
    """Shown for support; entries are private notes, so the admin does not edit them. Deleting
    one (a student's request) is allowed."""

    list_display = ["student", "organization", "added_at"]
    list_select_related = ["student", "organization"]
    search_fields = ["student__email", "student__name", "organization__name"]
    readonly_fields = ["organization", "student", "engagement", "notes", "tags", "added_by"]
    readonly_fields += ["added_at", "updated_at"]

    def has_add_permission(self, request):
        return False
