from django.contrib import admin

from practicum.alerts.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """For support: what a student saved and when it last looked. Students change their own."""

    list_display = ["name", "student", "frequency", "created_at", "checked_until"]
    list_filter = ["frequency"]
    search_fields = ["student__email", "name"]
    raw_id_fields = ["student"]
    readonly_fields = ["query", "created_at", "checked_until", "next_run_at", "link_version"]
