from django.db import models


class SkillCategory(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "skill categories"

    def __str__(self):
        return self.name


class Skill(models.Model):
    """One entry of the taxonomy. `slug` is the stable key the data file uses, so reloading
    the file updates a skill in place and it keeps its id."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=100, unique=True)
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    aliases = models.JSONField(default=list, blank=True)
    # Lower-cased name and aliases joined by "|", so one indexed LIKE finds a skill by any of them.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
