"""The values API's order as an index: (period, indicator, country). Numbered 0007 because 0006 is
being written on another branch; when both are merged, make this one depend on 0006."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_demo_figures"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="value",
            index=models.Index(fields=["period", "indicator", "country"], name="value_period_cell"),
        ),
    ]
