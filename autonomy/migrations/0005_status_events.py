import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# What each past grant change was, read from its statuses: the grants table's actions.
ACTIONS = {
    ("", "active"): "issue",
    ("active", "at_risk"): "put_at_risk",
    ("at_risk", "active"): "cure",
    ("suspended", "active"): "restore",
    ("suspended", "revoked"): "revoke",
    ("active", "suspended"): "suspend",
    ("at_risk", "suspended"): "suspend",
    ("active", "revoked"): "revoke",
    ("at_risk", "revoked"): "revoke",
    ("active", "expired"): "expire",
    ("at_risk", "expired"): "expire",
    ("suspended", "expired"): "expire",
}


def name_past_grant_actions(apps, schema_editor):
    GrantEvent = apps.get_model("autonomy", "GrantEvent")
    for (source, target), action in ACTIONS.items():
        events = GrantEvent.objects.filter(from_status=source, to_status=target)
        if action in ("suspend", "revoke"):
            # The nightly evaluation acted with no person: those were the contract's rule.
            events.filter(actor__isnull=True).update(action=f"{action}_by_rule")
            events = events.filter(actor__isnull=False)
        events.update(action=action)


class Migration(migrations.Migration):
    """Request and grant events now extend core.models.StatusEvent: a request's note is its reason,
    and a grant's event names its action (read from its statuses for the rows already kept)."""

    dependencies = [("autonomy", "0004_overview_order")]

    operations = [
        migrations.RenameField(model_name="requestevent", old_name="note", new_name="reason"),
        migrations.AddField(
            model_name="grantevent",
            name="action",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(name_past_grant_actions, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="grantevent",
            options={"ordering": ["at", "pk"]},
        ),
        migrations.AddField(
            model_name="requestevent",
            name="evidence",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="grantevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="grantevent",
            name="reason",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="grantevent",
            name="to_status",
            field=models.CharField(max_length=20),
        ),
        migrations.AlterField(
            model_name="requestevent",
            name="action",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="requestevent",
            name="actor",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AlterField(
            model_name="requestevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="requestevent",
            name="to_status",
            field=models.CharField(max_length=20),
        ),
    ]
