"""Support work on career centers goes through here, where Django logs every change. The access
log is read-only: nobody edits the trace of who looked."""

from django.contrib import admin

from practicum.careers.models import AccessLogEntry, Consent, Enrollment, InstitutionDomain


@admin.register(InstitutionDomain)
class InstitutionDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "institution"]
    list_select_related = ["institution"]
    search_fields = ["domain", "institution__name"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "institution", "state", "method", "requested_at", "verified_at"]
    list_filter = ["state", "method", "institution"]
    list_select_related = ["student", "institution"]
    search_fields = ["student__email", "student__name", "email"]
    raw_id_fields = ["student", "decided_by"]
    # The state changes through the services' transition table only.
    readonly_fields = ["state", "verified_at", "decided_by"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["student", "institution", "given_at", "withdrawn_at"]
    list_filter = ["institution"]
    list_select_related = ["student", "institution"]
    raw_id_fields = ["student"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "staff_name", "student", "institution", "what"]
    list_select_related = ["student", "institution"]
    list_filter = ["what", "institution"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
