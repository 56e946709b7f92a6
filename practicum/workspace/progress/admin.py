from django.contrib import admin

from practicum.workspace.progress.models import ProgressComment, ProgressUpdate


class ProgressCommentInline(admin.TabularInline):
    model = ProgressComment
    extra = 0
    raw_id_fields = ["author"]
    readonly_fields = ["author", "side", "created_at"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """For moderation: the texts may be corrected; hours, author and time stay as reported
    (the event log and the hours summary refer to them)."""

    list_display = ["pk", "engagement", "author", "hours", "created_at"]
    search_fields = ["done", "author__email", "author__name", "engagement__project__title"]
    list_select_related = ["engagement__project", "engagement__student", "author"]
    raw_id_fields = ["engagement", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["engagement", "author", "hours", "created_at"]
    inlines = [ProgressCommentInline]
