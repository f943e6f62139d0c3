from django.db import migrations, models


class Migration(migrations.Migration):
    """The event model now extends core.models.StatusEvent: its note is the event's reason."""

    dependencies = [("accountability", "0005_run_unfinished_attempts")]

    operations = [
        migrations.RenameField(model_name="flagevent", old_name="note", new_name="reason"),
        migrations.AddField(
            model_name="flagevent",
            name="evidence",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="flagevent",
            name="action",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="flagevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="flagevent",
            name="to_status",
            field=models.CharField(max_length=20),
        ),
    ]
