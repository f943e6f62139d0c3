"""The autonomy catalog's words, edited by the autonomy office, every change kept with who, when and what."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from autonomy.models.catalog import CATALOG_TEXT_FIELDS, Autonomy, AutonomyRevision
from autonomy.policies import can_edit_catalog
from core.errors import ApplicationError, Conflict, NotFound
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.policies import require
from core.translated import stored
from core.workflows import limited_text

# The most each field of an entry may hold (core.limits), in English and in Spanish: the name is a
# CharField(max_length=200).
CATALOG_TEXT_LIMITS = {
    "name": SHORT_TEXT,
    "description": NOTE_TEXT,
    "school_decides": NOTE_TEXT,
    "district_keeps": NOTE_TEXT,
    "retention_expectations": NOTE_TEXT,
}
CATALOG_TEXT_LIMITS |= {f"{name}_es": limit for name, limit in CATALOG_TEXT_LIMITS.items()}


def _one_line_ending(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def autonomy_catalog_update(
    *,
    actor: AbstractBaseUser,
    code: str,
    texts: dict[str, str],
    note: str = "",
    seen_revision_id: int | None = None,
) -> AutonomyRevision | None:
    """Change an entry's words (any of CATALOG_TEXT_FIELDS given in `texts`) and record the change.

    `seen_revision_id` is the entry's latest revision when the form was drawn (None: it had none); if
    somebody has changed the entry since, the change is refused as a conflict rather than overwriting
    theirs. Returns the revision written, or None when nothing differed (nothing is recorded then).
    """
    require(can_edit_catalog(actor))
    unknown = sorted(set(texts) - set(CATALOG_TEXT_FIELDS))
    if unknown:
        raise ApplicationError(
            "Only the catalog's words can be changed here.",
            fields={name: ["Not a field of the catalog."] for name in unknown},
        )
    # A browser sends a text box's lines as CRLF: compared as typed, an untouched box would count as changed.
    cleaned = {
        name: limited_text(_one_line_ending(value), field=name, max_length=CATALOG_TEXT_LIMITS[name])
        for name, value in texts.items()
    }
    note = limited_text(note, field="note", max_length=NOTE_TEXT)
    if "name" in cleaned and not cleaned["name"]:
        raise ApplicationError("The entry needs a name.", fields={"name": ["Give the autonomy a name."]})
    with transaction.atomic():
        autonomy = Autonomy.objects.select_for_update().filter(code=code).first()
        if autonomy is None:
            raise NotFound("No such autonomy in the catalog.")
        latest = autonomy.revisions.order_by("-changed_at", "-pk").values_list("pk", flat=True).first()
        if latest != seen_revision_id:
            raise Conflict("Somebody else changed this entry after you opened it.")
        if "name" in cleaned and Autonomy.objects.filter(name=cleaned["name"]).exclude(pk=autonomy.pk).exists():
            raise ApplicationError(
                "Another autonomy has this name.", fields={"name": ["Another autonomy in the catalog has this name."]}
            )
        changes = {
            name: {"from": stored(autonomy, name), "to": value}
            for name, value in cleaned.items()
            if stored(autonomy, name) != value
        }
        if not changes:
            return None
        for name, change in changes.items():
            setattr(autonomy, name, change["to"])
        autonomy.save(update_fields=[*changes, "updated_at"])
        return AutonomyRevision.objects.create(autonomy=autonomy, changed_by=actor, changes=changes, note=note)
