from django.db import migrations
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_places(apps, schema_editor):
    """Projects now keep their taken places: accepted applications whose engagement goes on."""
    Project = apps.get_model("projects", "Project")
    Application = apps.get_model("engagements", "Application")
    taken = (
        Application.objects.filter(project=OuterRef("pk"), status="accepted")
        .filter(~Q(engagement__state="cancelled"))
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Project.objects.update(places_taken=Coalesce(Subquery(taken), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0005_application_withdrawn_reason"),
        ("projects", "0003_project_places_taken"),
    ]

    operations = [migrations.RunPython(count_places, migrations.RunPython.noop)]
