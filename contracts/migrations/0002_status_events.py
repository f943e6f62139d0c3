import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The event model now extends core.models.StatusEvent: its note is the event's reason."""

    dependencies = [("contracts", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="contractevent", old_name="note", new_name="reason"),
        migrations.AddField(
            model_name="contractevent",
            name="evidence",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="contractevent",
            name="action",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="contractevent",
            name="actor",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AlterField(
            model_name="contractevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="contractevent",
            name="to_status",
            field=models.CharField(max_length=20),
        ),
    ]
