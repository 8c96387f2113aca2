"""Existing organisations' groups receive the new ``file_algorithms`` permission on their organisation."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Permissions are normally created after migrations; this one is needed now.
    config = apps.get_app_config("accounts")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Organization = apps.get_model("accounts", "Organization")
    Permission = apps.get_model("auth", "Permission")
    GroupPerm = apps.get_model("accounts", "OrganizationGroupObjectPermission")
    permission = Permission.objects.get(codename="file_algorithms", content_type__app_label="accounts")
    rows = [
        GroupPerm(group_id=org.group_id, permission=permission, content_object=org)
        for org in Organization.objects.exclude(group=None)
    ]
    GroupPerm.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_alter_organization_options")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
