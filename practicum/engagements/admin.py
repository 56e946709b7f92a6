from django.contrib import admin

from practicum.engagements.models import Application, Engagement


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["student", "project", "organization", "status", "created_at"]
    list_filter = ["status", ("project__organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__email", "student__name", "project__title"]
    list_select_related = ["student", "project__organization"]
    raw_id_fields = ["project", "student"]
    date_hierarchy = "created_at"
    # The status moves only through the services (lifecycle.py), which also keep the
    # timestamps and the engagement in step; the admin shows it.
    readonly_fields = [
        "status",
        "created_at",
        "status_changed_at",
        "offered_at",
        "offer_expires_at",
    ]

    @admin.display(description="Organization", ordering="project__organization__name")
    def organization(self, obj):
        return obj.project.organization


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["student", "project", "mentor", "state", "created_at"]
    list_filter = ["state", ("project__organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__email", "student__name", "project__title"]
    list_select_related = ["student", "project", "mentor"]
    raw_id_fields = ["application", "project", "student", "mentor"]
    readonly_fields = ["created_at", "state_changed_at"]
