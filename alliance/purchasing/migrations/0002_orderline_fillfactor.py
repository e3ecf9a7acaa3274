"""Leave room in order line pages on PostgreSQL so closing a cycle (which sets the price and
amount of every line, no indexed column) can update rows in place (HOT updates)."""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE purchasing_orderline SET (fillfactor = 70)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE purchasing_orderline RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("purchasing", "0001_initial")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
