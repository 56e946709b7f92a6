"""Platform admins moderate postings here. The admin writes the models directly, so it skips the
services' rules: pages and the API are where members post and publish."""

from django.contrib import admin

from practicum.projects.models import Deliverable, Project, ProjectSkill


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["position", "title", "due_on", "description"]


class ProjectSkillInline(admin.TabularInline):
    model = ProjectSkill
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organization",
        "status",
        "work_mode",
        "application_deadline",
        "starts_on",
        "compensation",
        "published_at",
    ]
    list_filter = ["status", "work_mode", "organization"]
    list_select_related = ["organization"]
    search_fields = ["title", "summary", "organization__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["organization", "mentor", "created_by"]
    readonly_fields = ["created_at", "updated_at", "published_at", "closed_at"]
    inlines = [DeliverableInline, ProjectSkillInline]

    @admin.display(description="compensation", ordering="compensation_amount")
    def compensation(self, project):
        return project.compensation_display


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "position", "due_on"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    autocomplete_fields = ["project"]


@admin.register(ProjectSkill)
class ProjectSkillAdmin(admin.ModelAdmin):
    list_display = ["project", "skill", "min_level", "is_required"]
    list_filter = ["is_required", "min_level"]
    list_select_related = ["project", "skill"]
    search_fields = ["project__title", "skill__name"]
    autocomplete_fields = ["project", "skill"]
