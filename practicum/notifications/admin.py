from django.contrib import admin

from practicum.notifications.models import EmailDelivery, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "delivery", "read_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["recipient__email", "title", "key"]
    raw_id_fields = ["recipient", "email"]
    readonly_fields = ["key", "created_at"]
    date_hierarchy = "created_at"


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """The outbox. To send a failed email again, set it back to pending."""

    list_display = ["created_at", "recipient", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "key"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["key", "created_at", "sent_at", "claimed_by", "claimed_at", "last_error"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
