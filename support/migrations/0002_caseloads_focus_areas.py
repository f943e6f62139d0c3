"""The district's focus tags for a liaison's contacts, modelled on the eight standards of the CCSSO Model
Principal Supervisor Professional Standards (2015), the first four about principals' instructional
leadership.

The names are short district tags, not the standards' wording: the district renames them in the admin.
A data migration rather than a command, as the autonomy catalog is: every deployment has them from
`migrate`, with nothing to remember; it runs once, so a district's renames are never overwritten, and it
adds only numbers not taken.
"""

from django.db import migrations

FOCUS_AREAS = [
    # number, name, about the principal's instructional leadership
    (1, "Time for instructional leadership", True),
    (2, "Coaching and professional learning", True),
    (3, "Evidence of practice and what to improve", True),
    (4, "Evaluation that helps the principal grow", True),
    (5, "Central-office services for the school", False),
    (6, "Equitable, culturally responsive schools", False),
    (7, "The supervisor's own learning", False),
    (8, "Leading change across schools", False),
]


def add_focus_areas(apps, schema_editor):
    FocusArea = apps.get_model("support", "FocusArea")
    taken = set(FocusArea.objects.values_list("number", flat=True))
    FocusArea.objects.bulk_create(
        FocusArea(number=number, name=name, instructional=instructional)
        for number, name, instructional in FOCUS_AREAS
        if number not in taken
    )


def remove_focus_areas(apps, schema_editor):
    FocusArea = apps.get_model("support", "FocusArea")
    FocusArea.objects.filter(number__in=[row[0] for row in FOCUS_AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(add_focus_areas, remove_focus_areas)]
