"""The values to follow up as a partial index, so that the secretariat's queue lists them without
reading every value."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_value_period_cell"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="value",
            index=models.Index(
                condition=models.Q(("follow_up", True)),
                fields=["follow_up"],
                name="value_follow_up",
            ),
        ),
    ]
