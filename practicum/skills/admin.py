from django.contrib import admin
from django.db.models import Count

from practicum.skills.models import Skill, SkillCategory


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "skill_count"]
    search_fields = ["name", "slug"]
    ordering = ["position", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(skill_count=Count("skills"))

    @admin.display(description="skills", ordering="skill_count")
    def skill_count(self, category):
        return category.skill_count


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "category", "alias_list"]
    list_filter = ["category"]
    list_select_related = ["category"]
    # search_text holds the lower-cased name and aliases, so one field covers "find by alias".
    search_fields = ["name", "slug", "search_text"]
    readonly_fields = ["search_text"]
    fields = ["name", "slug", "category", "aliases", "search_text"]
    ordering = ["name"]

    @admin.display(description="aliases")
    def alias_list(self, skill):
        return ", ".join(skill.aliases or [])

    def get_readonly_fields(self, request, obj=None):
        # The slug is the key `load_skills` matches on; changing it would orphan the skill.
        if obj is not None:
            return [*self.readonly_fields, "slug"]
        return self.readonly_fields
