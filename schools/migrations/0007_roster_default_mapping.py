"""The roster's starting mapping: a school's administrator (1.2 also writes principal) is its principal;
teachers, aides, students and families are not imported. Other roles are refused until the office maps them."""

from django.db import migrations

DEFAULTS = {
    "administrator": "principal",
    "principal": "principal",
    "teacher": "ignore",
    "aide": "ignore",
    "student": "ignore",
    "guardian": "ignore",
    "parent": "ignore",
    "relative": "ignore",
}


def mapping_add(apps, schema_editor):
    mapping = apps.get_model("schools", "RosterRoleMapping")
    for oneroster_role, portal_role in DEFAULTS.items():
        mapping.objects.get_or_create(oneroster_role=oneroster_role, defaults={"portal_role": portal_role})


def mapping_remove(apps, schema_editor):
    apps.get_model("schools", "RosterRoleMapping").objects.filter(oneroster_role__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0006_roster_import")]

    operations = [migrations.RunPython(mapping_add, mapping_remove)]
