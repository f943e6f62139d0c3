from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_signature_record"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="interventionrule",
            options={"ordering": ["contract", "level", "position", "pk"]},
        ),
    ]
