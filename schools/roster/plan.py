"""Comparing a parsed roster with the portal: the list of changes an import would make, and nothing else.

It reads five tables whole, once each (the mapping, the district, the schools, the accounts with their
sourcedIds, the school memberships), so its cost in queries does not grow with the district; it writes
nothing. What it finds wrong across rows and with the portal (an unknown org or role, a username held by
an account the roster does not keep, two principals for one school) is refused like a bad row, naming
the file and line.

What the roster keeps: schools (by sourcedId; a school the office created by hand is taken over when
the file gives its code as identifier), accounts with a RosterPerson row, and memberships marked
`source=roster`. The office's own assignments (source=district) are never ended; a roster membership
that the office already gave the same person is left as the office's.
"""

from django.contrib.auth import get_user_model

from schools.models import SCHOOL_ROLES, District, GradeBand, Membership, MembershipSource, Role, School
from schools.roster.changes import Change, Plan
from schools.roster.models import PortalRole, RosterRoleMapping
from schools.roster.parse import Org, Person, Roster, RosterError, RosterRefused

CODE_LENGTH = School._meta.get_field("code").max_length
# OneRoster files carry no grade band; a new school starts with this one and the office corrects it.
NEW_SCHOOL_GRADE_BAND = GradeBand.ELEMENTARY


def roster_plan(*, roster: Roster, today) -> Plan:
    """What importing the roster would change; RosterRefused naming every row that cannot be carried out."""
    builder = _Builder(roster, today)
    builder.build()
    if builder.errors:
        raise RosterRefused(builder.errors)
    return builder.plan


class _Builder:
    def __init__(self, roster: Roster, today):
        self.roster, self.today = roster, today
        self.plan = Plan(version=roster.version)
        self.errors: list[RosterError] = []
        self.principals: dict[str, list] = {}  # school sourcedId → [(person, primary, file, line)]
        self.mapping = dict(RosterRoleMapping.objects.values_list("oneroster_role", "portal_role"))
        self.district = District.objects.first()
        self.schools = list(School.objects.all())
        self.accounts = list(
            get_user_model().objects.values(
                "id", "username", "email", "first_name", "last_name", "is_active", "roster_person__sourced_id"
            )
        )
        self.memberships = list(
            Membership.objects.filter(role__in=SCHOOL_ROLES).values(
                "id", "user_id", "role", "school_id", "source", "user__roster_person__sourced_id", "school__sourced_id"
            )
        )

    def build(self) -> None:
        self.orgs = self._orgs()  # sourcedId → "school", "district", "other" or "closed"
        wanted = self._people()
        if not self.errors:
            self._memberships(wanted)

    # --- orgs -------------------------------------------------------------------------------------------

    def _orgs(self) -> dict[str, str]:
        kinds = {
            school.sourced_id: ("closed" if school.closed_on else "school")
            for school in self.schools
            if school.sourced_id
        }
        if self.district and self.district.sourced_id:
            kinds[self.district.sourced_id] = "district"
        districts = [org for org in self.roster.orgs if org.type == "district" and org.status != "tobedeleted"]
        for extra in districts[1:]:
            self._error("orgs.csv", extra.line, f"a second district ({extra.name}); the portal keeps one district")
        if districts:
            self._district(districts[0])
        by_sid = {school.sourced_id: school for school in self.schools if school.sourced_id}
        by_code = {school.code: school for school in self.schools}
        codes: dict[str, int] = {}
        in_file = set()
        for org in self.roster.orgs:
            if org.type == "district":
                kinds[org.sourced_id] = "district"
            elif org.type != "school":
                kinds[org.sourced_id] = "other"
            else:
                in_file.add(org.sourced_id)
                kinds[org.sourced_id] = self._school(org, by_sid, by_code, codes)
        if self.roster.modes["orgs"] == "bulk":
            for school in self.schools:
                if school.sourced_id and school.sourced_id not in in_file and not school.closed_on:
                    self._school_close(school, "not in the district's orgs.csv any more")
        return kinds

    def _district(self, org: Org) -> None:
        district = self.district
        if district is None:
            self.plan.district = {"pk": None, "name": org.name[:200], "sourced_id": org.sourced_id}
            self.plan.changes.append(Change("district", "create", org.name, "the district this portal serves"))
        elif district.sourced_id and district.sourced_id != org.sourced_id:
            self._error(
                "orgs.csv",
                org.line,
                f"the district's sourcedId is {org.sourced_id!r}; the portal's district, {district.name}, "
                f"was imported as {district.sourced_id!r}",
            )
        elif not district.sourced_id:
            self.plan.district = {"pk": district.pk, "name": district.name, "sourced_id": org.sourced_id}
            self.plan.changes.append(Change("district", "update", district.name, f"sourcedId {org.sourced_id}"))

    def _school(self, org: Org, by_sid: dict, by_code: dict, codes: dict[str, int]) -> str:
        code = org.identifier or org.sourced_id
        if len(code) > CODE_LENGTH:
            self._error("orgs.csv", org.line, f"the school code {code!r} is longer than {CODE_LENGTH} characters")
            return "school"
        if code in codes and org.status != "tobedeleted":
            self._error("orgs.csv", org.line, f"identifier {code!r} is also on line {codes[code]}")
            return "school"
        codes[code] = org.line
        school = by_sid.get(org.sourced_id)
        holder = by_code.get(code)
        if school is None and holder is not None and not holder.sourced_id:
            school = holder  # a school the office created by hand, taken over by its code
        if holder is not None and holder is not school and org.status != "tobedeleted":
            self._error("orgs.csv", org.line, f"identifier {code!r} is the code of {holder.name}, another school")
            return "school"
        if org.status == "tobedeleted":
            if school is not None and not school.closed_on:
                self._school_close(school, "marked tobedeleted")
            return "closed"
        name = org.name[:200]
        if school is None:
            self.plan.schools_create.append({"sourced_id": org.sourced_id, "code": code, "name": name})
            detail = f"code {code}; grade band {NEW_SCHOOL_GRADE_BAND.label} until you correct it (the files give none)"
            self.plan.changes.append(Change("school", "create", name, detail))
            return "school"
        fields = {
            key: value
            for key, value in {"sourced_id": org.sourced_id, "code": code, "name": name}.items()
            if getattr(school, key) != value
        }
        if school.closed_on:
            fields["closed_on"] = None
            self.plan.changes.append(Change("school", "reopen", name, "active again in the roster"))
        elif fields:
            self.plan.changes.append(Change("school", "update", name, _described(school, fields)))
        if fields:
            self.plan.schools_update.append((school.pk, fields))
        return "school"

    def _school_close(self, school: School, why: str) -> None:
        self.plan.schools_update.append((school.pk, {"closed_on": self.today.isoformat()}))
        self.plan.changes.append(Change("school", "close", school.name, f"{why}; its history is kept"))

    # --- people -----------------------------------------------------------------------------------------

    def _people(self) -> dict[str, set[tuple[str, str]]]:
        """Each kept person's wanted (role, school sourcedId); creates, links, updates and departures planned."""
        by_sid = {row["roster_person__sourced_id"]: row for row in self.accounts if row["roster_person__sourced_id"]}
        by_username = {row["username"]: row for row in self.accounts}
        usernames: dict[str, int] = {}
        wanted: dict[str, set[tuple[str, str]]] = {}
        self.in_scope: set[str] = set()
        for person in self.roster.people:
            self.in_scope.add(person.sourced_id)
            if person.username in usernames:
                reason = f"username {person.username!r} is also on line {usernames[person.username]}"
                self._error("users.csv", person.line, reason)
                continue
            usernames[person.username] = person.line
            roles = self._roles(person)
            active = person.enabled and person.status != "tobedeleted"
            account = by_sid.get(person.sourced_id)
            if account is None and not (active and roles):
                self.plan.people_ignored += 1
                continue
            holder = by_username.get(person.username)
            if holder is not None and holder is not account:
                if not self._link(person, account, holder):
                    continue
                account = holder
            wanted[person.sourced_id] = roles if active else set()
            if account is None:
                self.plan.people_create.append(_fields(person) | {"sourced_id": person.sourced_id})
                self.plan.changes.append(Change("person", "create", _name(person), person.username))
            else:
                self._person_update(person, account, active)
        if self.roster.modes["users"] == "bulk":
            for sid, account in by_sid.items():
                if sid not in self.in_scope:
                    self.in_scope.add(sid)
                    wanted[sid] = set()
                    if account["is_active"]:
                        self._deactivate(account, "not in the district's users.csv any more")
        return wanted

    def _roles(self, person: Person) -> set[tuple[str, str]]:
        roles = set()
        for role in person.roles:
            portal_role = self.mapping.get(role.role)
            if portal_role is None:
                self._error(
                    role.file,
                    role.line,
                    f"role {role.role!r} is not in the roster mapping: the autonomy office maps it to principal, "
                    "school team or not imported",
                )
                continue
            kind = self.orgs.get(role.org)
            if kind is None and role.org in self.roster.skipped:
                continue  # the org's own row is refused already
            if kind is None:
                self._error(role.file, role.line, f"org {role.org!r} is not in orgs.csv nor in the portal")
                continue
            if portal_role != PortalRole.IGNORE and kind == "school":
                roles.add((portal_role, role.org, role.primary, role.file, role.line))
        return self._one_principal(person, roles)

    def _one_principal(self, person: Person, roles: set) -> set[tuple[str, str]]:
        """Only one principal role per school for one person; the rest are kept to check across people."""
        result = set()
        for portal_role, org, primary, file, line in roles:
            result.add((portal_role, org))
            if portal_role == PortalRole.PRINCIPAL:
                self.principals.setdefault(org, []).append((person, primary, file, line))
        return result

    def _link(self, person: Person, account: dict | None, holder: dict) -> bool:
        """A username already held: taken over only from an account the roster does not keep, same email."""
        if (
            account is None
            and not holder["roster_person__sourced_id"]
            and person.email
            and (holder["email"].lower() == person.email.lower())
        ):
            self.plan.people_link.append((holder["id"], person.sourced_id))
            detail = f"the existing account {holder['username']}"
            self.plan.changes.append(Change("person", "link", _name(person), detail))
            return True
        self._error(
            "users.csv",
            person.line,
            f"username {person.username!r} belongs to another account in the portal"
            + ("" if holder["roster_person__sourced_id"] else " (its email differs, so it is not taken over)"),
        )
        return False

    def _person_update(self, person: Person, account: dict, active: bool) -> None:
        fields = {key: value for key, value in _fields(person).items() if account[key] != value}
        if not active and account["is_active"]:
            self._deactivate(account, "marked tobedeleted or not enabled", fields)
            return
        if active and not account["is_active"]:
            fields["is_active"] = True
            self.plan.changes.append(Change("person", "reactivate", _name(person), "active again in the roster"))
        elif fields:
            self.plan.changes.append(Change("person", "update", _name(person), ", ".join(sorted(fields))))
        if fields:
            self.plan.people_update.append((account["id"], fields))

    def _deactivate(self, account: dict, why: str, fields: dict | None = None) -> None:
        self.plan.people_update.append((account["id"], {**(fields or {}), "is_active": False}))
        detail = f"{why}; signed out, the account is kept"
        self.plan.changes.append(Change("person", "deactivate", _account_name(account), detail))

    # --- memberships ------------------------------------------------------------------------------------

    def _primary_rule(self, wanted: dict[str, set[tuple[str, str]]]) -> None:
        """Of several people a school's principal by the mapping, the one whose role is primary (1.2's
        roleType) is; the others join the school team. In 1.1 every role is primary, so nobody is chosen."""
        for school, candidates in self.principals.items():
            primary = [candidate for candidate in candidates if candidate[1]]
            if len(candidates) > 1 and len(primary) == 1:
                for person, is_primary, _, _ in candidates:
                    roles = wanted.get(person.sourced_id, set())
                    if not is_primary and (PortalRole.PRINCIPAL, school) in roles:
                        roles.discard((PortalRole.PRINCIPAL, school))
                        roles.add((PortalRole.SCHOOL_TEAM, school))
                self.principals[school] = primary

    def _memberships(self, wanted: dict[str, set[tuple[str, str]]]) -> None:
        self._primary_rule(wanted)
        names = {school.sourced_id: school.name for school in self.schools if school.sourced_id}
        names |= {row["sourced_id"]: row["name"] for row in self.plan.schools_create}
        linked = dict(self.plan.people_link)
        for row in self.memberships:  # an account taken over answers to its sourcedId from now on
            sid = row["user__roster_person__sourced_id"] or linked.get(row["user_id"])
            row["user__roster_person__sourced_id"] = sid
        people = {row["id"]: _account_name(row) for row in self.accounts}
        people |= {person.sourced_id: _name(person) for person in self.roster.people}
        held = {}
        for row in self.memberships:
            sid = row["user__roster_person__sourced_id"]
            key = (sid, row["role"], row["school__sourced_id"])
            held[key] = row
            ends = row["source"] == MembershipSource.ROSTER and key[0] in self.in_scope
            if ends and (row["role"], row["school__sourced_id"]) not in wanted.get(key[0], set()):
                self.plan.memberships_end.append((row["id"], row["user_id"]))
                what = f"{_role(row['role'])} {_at(names, key[2])}"
                self.plan.changes.append(Change("membership", "end", people.get(row["user_id"], ""), what))
        ending = {membership_id for membership_id, _ in self.plan.memberships_end}
        for sid, roles in sorted(wanted.items()):
            for role, school in sorted(roles):
                if (sid, role, school) not in held:
                    self.plan.memberships_add.append((sid, role, school))
                    what = f"{_role(role)} {_at(names, school)}"
                    self.plan.changes.append(Change("membership", "add", people.get(sid, sid), what))
        self._principal_conflicts(wanted, ending, names)

    def _principal_conflicts(self, wanted: dict, ending: set[int], names: dict) -> None:
        staying = {
            row["school__sourced_id"]: row
            for row in self.memberships
            if row["role"] == Role.PRINCIPAL and row["id"] not in ending
        }
        for school, candidates in self.principals.items():
            candidates = [c for c in candidates if (PortalRole.PRINCIPAL, school) in wanted.get(c[0].sourced_id, ())]
            if len(candidates) > 1:
                lines = ", ".join(f"{file} line {line}" for _, _, file, line in candidates)
                for _, _, file, line in candidates:
                    self._error(
                        file,
                        line,
                        f"more than one person would be principal of {names.get(school, school)} ({lines}); a school "
                        "has one principal: in 1.2 mark one role primary, or map the other roles to the school team",
                    )
            elif candidates and school in staying:
                row, (person, _, file, line) = staying[school], candidates[0]
                if row["user__roster_person__sourced_id"] != person.sourced_id:
                    who = "the autonomy office" if row["source"] == MembershipSource.DISTRICT else "an earlier roster"
                    self._error(
                        file,
                        line,
                        f"{names.get(school, school)} already has a principal, assigned by {who}; "
                        "end that assignment first",
                    )

    def _error(self, file: str, line: int | None, reason: str) -> None:
        self.errors.append(RosterError(file, line, reason))


def _fields(person: Person) -> dict:
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
    }


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}".strip() or person.username


def _account_name(account: dict) -> str:
    return f"{account['first_name']} {account['last_name']}".strip() or account["username"]


def _role(role: str) -> str:
    return Role(role).label


def _at(names: dict, school: str) -> str:
    return f"at {names.get(school, school)}"


def _described(school: School, fields: dict) -> str:
    return "; ".join(
        f"{key.replace('_', ' ')} {getattr(school, key) or '—'} → {value}" for key, value in fields.items()
    )
