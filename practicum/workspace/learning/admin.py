from django.contrib import admin

from practicum.workspace.learning.models import LearningItem, PractisedSkill


@admin.register(LearningItem)
class LearningItemAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "from_agreement", "in_agreement", "engagement")
    list_filter = ("kind", "status", "from_agreement")
    search_fields = ("title",)
    raw_id_fields = ("engagement", "created_by")


@admin.register(PractisedSkill)
class PractisedSkillAdmin(admin.ModelAdmin):
    list_display = ("skill", "engagement", "recorded_by", "recorded_at")
    search_fields = ("skill__name",)
    raw_id_fields = ("engagement", "skill", "recorded_by")
