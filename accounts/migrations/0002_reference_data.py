"""Regulator offices (central + 31 provinces), role groups, and the entity-ID sequence."""

from django.db import migrations

from accounts.reference import ensure_offices, ensure_roles


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    ensure_offices(apps.get_model("accounts", "RegulatorOffice"))
    ensure_roles(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS accounts_entity_id_seq START 1",
            "DROP SEQUENCE IF EXISTS accounts_entity_id_seq",
        ),
    ]
