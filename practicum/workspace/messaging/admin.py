from django.contrib import admin

from practicum.workspace.messaging.models import Message, MessageAttachment, MessageRevision


class AttachmentInline(admin.TabularInline):
    """What was sent, for moderation; the files are not served from here (no media URL)."""

    model = MessageAttachment
    fields = ["name", "file_type", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    """The texts the author replaced: part of the record, never changed."""

    model = MessageRevision
    fields = ["number", "body", "written_at", "replaced_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """For moderation: admins read and may correct a message's text; who wrote it, when, and
    the question's answer stay as the services recorded them (the event log refers to them)."""

    list_display = ["pk", "engagement", "author", "side", "is_question", "answered_at"]
    list_filter = ["side", "is_question"]
    search_fields = ["body", "author__email", "author__name", "engagement__project__title"]
    list_select_related = ["engagement__project", "engagement__student", "author"]
    raw_id_fields = ["engagement", "author", "answered_by", "quote"]
    inlines = [AttachmentInline, RevisionInline]
    date_hierarchy = "created_at"
    readonly_fields = [
        "engagement",
        "author",
        "side",
        "is_question",
        "answered_at",
        "answered_by",
        "created_at",
        "quote",
        "edited_at",
    ]
