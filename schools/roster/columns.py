"""The OneRoster CSV binding's vocabulary the portal reads: versions, file modes, values, and each file's columns
(all the standard names, and those a row must fill)."""

VERSIONS = ("1.1", "1.2")
MODES = ("bulk", "delta", "absent")
STATUSES = ("", "active", "tobedeleted")
ORG_TYPES = ("department", "school", "district", "local", "state", "national")
READ_FILES = ("orgs", "users", "roles")

_COMMON = ("sourcedId", "status", "dateLastModified")
ORGS_COLUMNS = (*_COMMON, "name", "type", "identifier", "parentSourcedId")
# The person's columns both versions share, in the order both list them.
_PERSON = (
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
)
USERS_COLUMNS = {
    "1.1": (*_COMMON, "enabledUser", "orgSourcedIds", "role", *_PERSON),
    "1.2": (
        *_COMMON,
        "enabledUser",
        *_PERSON,
        "userMasterIdentifier",
        "resourceSourcedIds",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
    ),
}
ROLES_COLUMNS = (
    *_COMMON,
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
)
REQUIRED = {
    "orgs": ("sourcedId", "name", "type"),
    "users.1.1": ("sourcedId", "enabledUser", "orgSourcedIds", "role", "username", "givenName", "familyName"),
    "users.1.2": ("sourcedId", "enabledUser", "username", "givenName", "familyName"),
    "roles": ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
}
