from django.contrib import admin

from practicum.workspace.deliverables.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: submissions change only through the services, which record the events."""

    list_display = ["engagement", "deliverable_key", "number", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["engagement__project", "engagement__student"]
    search_fields = ["engagement__project__title", "engagement__student__email"]
    date_hierarchy = "submitted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
