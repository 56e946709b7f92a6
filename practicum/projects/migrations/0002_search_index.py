"""A GIN index for discovery's full-text search, on PostgreSQL only (SQLite searches without one).

The indexed expression is selectors.search_vector() as it was written when this migration was;
PostgreSQL uses the index only while the query's expression is the same, which
tests/projects/test_search.py checks.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "project_search_idx"


def _index():
    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector(
            "description", "objectives", "learning_outcomes", weight="C", config="english"
        )
    )
    return GinIndex(vector, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("projects", "Project"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("projects", "Project"), _index())


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
