"""The values API's order as an index: (period, indicator, country), so that a page of the list
reads its rows in order instead of sorting a whole period."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_populations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="value",
            index=models.Index(fields=["period", "indicator", "country"], name="value_period_cell"),
        ),
    ]
