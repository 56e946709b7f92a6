"""Credentials in the Django admin: read-only (a signed credential never changes), with one
action, revoking, which asks for the reason first and is logged in the admin's history."""

import rules
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from practicum.core.forms import TextField
from practicum.credentials import services
from practicum.credentials.models import REASON_MAX, Credential


class RevokeForm(forms.Form):
    reason = TextField(
        label="Reason",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the credential and shown to the student. Revoking is final.",
    )


@admin.action(description="Revoke the selected credentials…", permissions=["revoke"])
def revoke(modeladmin, request, queryset):
    form = RevokeForm(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        count = 0
        try:
            for credential in queryset:
                reason = form.cleaned_data["reason"]
                count += services.revoke(credential, by=request.user, reason=reason)
                modeladmin.log_change(request, credential, f"Revoked: {reason}")
        except ValidationError as exc:
            form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        else:
            modeladmin.message_user(
                request, f"Revoked {count} credential version(s).", messages.SUCCESS
            )
            return None
    return TemplateResponse(
        request,
        "admin/credentials/credential/revoke.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Revoke credentials",
            "opts": modeladmin.model._meta,
            "credentials": list(queryset.select_related("student")),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["__str__", "student", "issued_at", "current", "revoked_at", "hidden"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "hidden"]
    list_select_related = ["student"]
    search_fields = ["student__email", "student__name", "engagement__project__title"]
    date_hierarchy = "issued_at"
    actions = [revoke]
    fields = [
        "id",
        "student",
        "engagement",
        "issued_at",
        "awarded_at",
        "superseded_at",
        "superseded_by",
        "hidden",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "status_list",
        "status_index",
        "key_id",
        "document",
        "jwt",
    ]
    readonly_fields = fields

    @admin.display(boolean=True)
    def current(self, credential):
        return credential.is_current

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return rules.has_perm("credentials.revoke_credential", request.user)
