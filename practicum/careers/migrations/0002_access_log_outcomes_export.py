# A choices-only change: the access log names the outcomes export (analytics) as a look.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0001_enrollment_consent_access_log"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="what",
            field=models.CharField(
                choices=[
                    ("record_page", "Opened your outcomes record"),
                    ("record_api", "Read your outcomes record through the API"),
                    ("outcomes_export", "Included you in an outcomes export (CSV)"),
                ],
                max_length=20,
            ),
        ),
    ]
