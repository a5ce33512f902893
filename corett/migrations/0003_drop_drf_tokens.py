"""API tokens moved to django-rest-knox (digests, expiry, revocation). The old tokens of DRF's
rest_framework.authtoken are not carried over: they were stored in plain text and never expired,
so their owners sign in to the API again (README, "API tokens"). Their table and its migration
records are removed, so that no usable token stays in the database or its backups."""

from django.db import migrations


def drop_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("corett", "0002_initial"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(drop_drf_tokens, migrations.RunPython.noop)]
