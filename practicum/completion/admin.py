from django.contrib import admin

from practicum.completion.models import Completion, Payment


class _ReadOnly(admin.ModelAdmin):
    """Completions and payments change only through the services, which record the events
    the reciprocity index reads; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Completion)
class CompletionAdmin(_ReadOnly):
    list_display = ["engagement", "partial", "completed_at", "amount", "currency", "payment_due_on"]
    list_filter = ["partial"]
    list_select_related = ["engagement__project", "engagement__student"]
    search_fields = ["engagement__project__title", "engagement__student__email"]
    date_hierarchy = "completed_at"


@admin.register(Payment)
class PaymentAdmin(_ReadOnly):
    list_display = ["engagement", "amount_display", "paid_on", "reference", "status"]
    list_filter = ["status"]
    list_select_related = ["engagement__project", "engagement__student"]
    search_fields = ["engagement__project__title", "engagement__student__email", "reference"]
    date_hierarchy = "recorded_at"
