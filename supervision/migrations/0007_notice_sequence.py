from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("supervision", "0006_task_final")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS supervision_notice_seq START 1",
            "DROP SEQUENCE IF EXISTS supervision_notice_seq",
        ),
    ]
