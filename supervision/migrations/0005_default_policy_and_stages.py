"""This system's default tier policy (v1) and review stages per tier."""

from django.db import migrations

from supervision.defaults import load_defaults


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    load_defaults(apps.get_model("supervision", "TierPolicy"), apps.get_model("supervision", "StageDefinition"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_conflictofinterest_notice_stagedefinition_taskvote_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
