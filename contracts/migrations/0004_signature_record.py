"""A signature records the account, its full name when it signed, the time, the client's address and the
SHA-256 of the version's content. The names already recorded stay as they are: they are the recorded
names of those signatures. Signatures made before this have no address and no hash (the content they
bound was never fingerprinted, so none is made up now); the contract page says so."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_school_year_validator"),
    ]

    operations = [
        migrations.AlterField(
            model_name="performancecontract",
            name="signed_name",
            field=models.CharField(
                blank=True, help_text="The signing account's full name when the principal signed.", max_length=200
            ),
        ),
        migrations.AlterField(
            model_name="performancecontract",
            name="countersigned_name",
            field=models.CharField(
                blank=True, help_text="The countersigning account's full name when it countersigned.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="performancecontract",
            name="signed_address",
            field=models.GenericIPAddressField(blank=True, help_text="Where the principal signed from.", null=True),
        ),
        migrations.AddField(
            model_name="performancecontract",
            name="signed_content_sha256",
            field=models.CharField(
                blank=True, help_text="SHA-256 of the version's content when the principal signed.", max_length=64
            ),
        ),
        migrations.AddField(
            model_name="performancecontract",
            name="countersigned_address",
            field=models.GenericIPAddressField(
                blank=True, help_text="Where the district countersigned from.", null=True
            ),
        ),
        migrations.AddField(
            model_name="performancecontract",
            name="countersigned_content_sha256",
            field=models.CharField(
                blank=True,
                help_text="SHA-256 of the version's content when the district countersigned.",
                max_length=64,
            ),
        ),
    ]
