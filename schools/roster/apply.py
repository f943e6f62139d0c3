"""Carrying out a roster plan: every write of an import, in the caller's transaction, set-based.

Bulk writes send no signals, so each account whose memberships or access changed has its cached roles
forgotten here (schools.policies.roles_cache_clear). A departed person is deactivated, never deleted:
Django's ModelBackend then refuses their session on its next request, and accounts' token check refuses
their API tokens (it reads only tokens of active users).
"""

import datetime
from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from core.versions import version_bump
from schools.models import District, Membership, MembershipSource, School
from schools.policies import roles_cache_clear
from schools.roster.changes import Plan
from schools.roster.models import RosterPerson
from schools.roster.plan import NEW_SCHOOL_GRADE_BAND

BATCH = 500  # rows per IN (…) list: SQLite takes at most a few thousand parameters in one statement


def roster_plan_apply(*, plan: Plan) -> None:
    """Write the plan. Expects to run inside the transaction that made the plan (roster_import_files)."""
    assert transaction.get_connection().in_atomic_block, "a plan is applied in the transaction that made it"
    if plan.district:
        _district(plan.district)
    _schools(plan)
    touched = _people(plan)
    touched |= _memberships(plan)
    for user_id in sorted(touched):
        roles_cache_clear(user_id)
    version_bump("schools")  # written in bulk, past schools.signals: the kept pages that show schools


def _district(district: dict) -> None:
    if district["pk"] is None:
        District.objects.create(name=district["name"], sourced_id=district["sourced_id"])
    else:
        District.objects.filter(pk=district["pk"]).update(sourced_id=district["sourced_id"])


def _schools(plan: Plan) -> None:
    School.objects.bulk_create(
        [School(grade_band=NEW_SCHOOL_GRADE_BAND, enrollment=0, **fields) for fields in plan.schools_create],
        batch_size=BATCH,
    )
    _rows_update(School, {pk: _school_values(fields) for pk, fields in plan.schools_update})


def _school_values(fields: dict) -> dict:
    """The plan writes a closing date as ISO text (roster.plan); the model field wants a date."""
    if fields.get("closed_on"):
        return {**fields, "closed_on": datetime.date.fromisoformat(fields["closed_on"])}
    return fields


def _people(plan: Plan) -> set[int]:
    """Creates, links and updates accounts; the ids of those whose access changed."""
    user_model = get_user_model()
    unusable = make_password(None)  # they sign in with the district's account, or have a password set
    created = user_model.objects.bulk_create(
        [
            user_model(password=unusable, **{key: value for key, value in fields.items() if key != "sourced_id"})
            for fields in plan.people_create
        ],
        batch_size=BATCH,
    )
    people = [
        RosterPerson(user_id=user.pk, sourced_id=fields["sourced_id"])
        for user, fields in zip(created, plan.people_create, strict=True)
    ]
    people += [RosterPerson(user_id=user_id, sourced_id=sourced_id) for user_id, sourced_id in plan.people_link]
    RosterPerson.objects.bulk_create(people, batch_size=BATCH)
    _rows_update(user_model, dict(plan.people_update))
    return {user_id for user_id, fields in plan.people_update if "is_active" in fields}


def _memberships(plan: Plan) -> set[int]:
    ended = [membership_id for membership_id, _ in plan.memberships_end]
    for ids in _batches(ended):
        Membership.objects.filter(pk__in=ids).delete()
    if plan.memberships_add:
        users = dict(RosterPerson.objects.values_list("sourced_id", "user_id"))
        schools = dict(School.objects.exclude(sourced_id="").values_list("sourced_id", "pk"))
        Membership.objects.bulk_create(
            [
                Membership(user_id=users[person], role=role, school_id=schools[school], source=MembershipSource.ROSTER)
                for person, role, school in plan.memberships_add
            ],
            batch_size=BATCH,
        )
        added = {users[person] for person, _, _ in plan.memberships_add}
    else:
        added = set()
    return added | {user_id for _, user_id in plan.memberships_end}


def _rows_update(model, changes: dict[int, dict]) -> None:
    """Each row's changed fields, a batch of rows read and written in one statement each, whatever the
    number of rows; a batch writes only the fields some row of it changes."""
    for ids in _batches(changes):
        rows = list(model.objects.filter(pk__in=ids))
        names = set()
        for row in rows:
            for name, value in changes[row.pk].items():
                setattr(row, name, value)
                names.add(name)
        model.objects.bulk_update(rows, sorted(names))


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]
