from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from practicum.accounts.models import (
    ApiToken,
    Institution,
    InstitutionStaff,
    Invitation,
    Membership,
    Organization,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "account_type", "is_active", "is_staff", "date_joined"]
    list_filter = ["account_type", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["name", "account_type", "timezone"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "account_type", "password1", "password2"],
            },
        ),
    ]


class VerificationRequested(admin.SimpleListFilter):
    title = "verification requested"
    parameter_name = "verification_requested"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for a decision")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(verification_requested_at__isnull=False)
        return queryset


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Verifying is done here: owners' requests wait under "verification requested" (see the
    page /about/verified-organizations/ for what an admin checks first)."""

    list_display = [
        "name",
        "slug",
        "industry",
        "size",
        "is_verified",
        "verification_requested_at",
        "created_at",
    ]
    list_filter = [VerificationRequested, "is_verified", "size", "industry"]
    list_editable = ["is_verified"]
    search_fields = ["name", "slug", "industry", "location"]
    prepopulated_fields = {"slug": ["name"]}
    # A logo uploaded here would skip the checks and the redrawing of core.images.
    readonly_fields = ["logo"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # Deciding (verifying, or taking the badge away) answers any waiting request.
        if "is_verified" in form.changed_data:
            obj.verification_requested_at = None
        super().save_model(request, obj, form, change)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(InstitutionStaff)
class InstitutionStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "created_at"]
    list_filter = ["institution"]
    search_fields = ["user__email", "user__name", "institution__name"]
    autocomplete_fields = ["user", "institution"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organization",
        "institution",
        "role",
        "status",
        "created_at",
        "expires_at",
    ]
    list_filter = ["role", "accepted_at", "revoked_at"]
    search_fields = ["email", "organization__name", "institution__name"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by"]
    raw_id_fields = ["invited_by", "accepted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "hint"]
    readonly_fields = ["token_hash", "hint", "last_used_at"]
    raw_id_fields = ["user"]
