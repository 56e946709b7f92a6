"""The text-search document of each project stored (search_document, PostgreSQL only: SQLite
searches the folded columns), filled for the projects already there, and the GIN index moved
from the expression of 0006 to the stored column under the same name. Ranking a common word's
matches then reads the stored vectors instead of parsing every posting again."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations

INDEX_NAME = "project_search_idx"


def _vector():
    return (
        SearchVector("search_title", weight="A", config="english")
        + SearchVector("search_summary", "search_skills", weight="B", config="english")
        + SearchVector("search_body", weight="C", config="english")
    )


def stored_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        Project = apps.get_model("projects", "Project")
        Project.objects.update(search_document=_vector())
        schema_editor.remove_index(Project, GinIndex(_vector(), name=INDEX_NAME))
        schema_editor.add_index(Project, GinIndex(fields=["search_document"], name=INDEX_NAME))


def expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        Project = apps.get_model("projects", "Project")
        schema_editor.remove_index(Project, GinIndex(fields=["search_document"], name=INDEX_NAME))
        schema_editor.add_index(Project, GinIndex(_vector(), name=INDEX_NAME))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_search_folded_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_document",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(stored_index, expression_index, elidable=False),
    ]
