from django.db import models

# Separates the name and the aliases inside `Skill.search_text`; it may not occur in either.
SEARCH_SEPARATOR = "|"


def build_search_text(name: str, aliases: list[str]) -> str:
    """The name first, then the aliases, lower-cased: the ranking in selectors relies on the name
    being the first term."""
    terms = [name.strip().lower()]
    for alias in aliases:
        term = alias.strip().lower()
        if term and term not in terms:
            terms.append(term)
    return SEARCH_SEPARATOR.join(terms)


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
    # Lower-cased name and aliases joined by "|", so one LIKE finds a skill by any of them (a
    # "%term%" LIKE scans the table: about 4 ms for 20k skills on SQLite, see bench/).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Edits made in the admin (or anywhere else) must stay findable; bulk writes in
        # services.load_taxonomy set search_text themselves.
        self.search_text = build_search_text(self.name, self.aliases or [])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "aliases"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
