from django.contrib import admin

from practicum.profiles.models import AvailabilityWindow, StudentProfile, StudentSkill


class StudentSkillInline(admin.TabularInline):
    model = StudentSkill
    extra = 0
    autocomplete_fields = ["skill"]


class AvailabilityWindowInline(admin.TabularInline):
    model = AvailabilityWindow
    extra = 0


@admin.register(StudentProfile)
class StudentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "institution_or_name", "discoverable", "updated_at"]
    list_filter = ["discoverable", "open_to_future_roles", "institution"]
    search_fields = ["user__email", "user__name", "headline"]
    list_select_related = ["user", "institution"]
    raw_id_fields = ["user"]
    # The photo and CV are the student's: uploads here would skip the checks of core.images and
    # profiles.cv, and the CV is not for platform admins to read.
    exclude = ["photo", "cv"]
    readonly_fields = ["cv_name", "cv_size", "cv_uploaded_at"]
    inlines = [StudentSkillInline, AvailabilityWindowInline]

    @admin.display(description="institution")
    def institution_or_name(self, profile):
        return profile.institution_label


@admin.register(StudentSkill)
class StudentSkillAdmin(admin.ModelAdmin):
    list_display = ["profile", "skill", "level"]
    list_filter = ["level", "skill__category"]
    search_fields = ["profile__user__email", "profile__user__name", "skill__name"]
    list_select_related = ["profile__user", "skill"]
    raw_id_fields = ["profile"]
    autocomplete_fields = ["skill"]


@admin.register(AvailabilityWindow)
class AvailabilityWindowAdmin(admin.ModelAdmin):
    list_display = ["profile", "starts_on", "ends_on"]
    search_fields = ["profile__user__email", "profile__user__name"]
    list_select_related = ["profile__user"]
    raw_id_fields = ["profile"]
    date_hierarchy = "starts_on"
