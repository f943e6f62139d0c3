"""The autonomy catalog: its pages for every signed-in person, who they show holding an autonomy, how a
school gets it, and the autonomy office's edits, each kept with who, when and what changed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from rest_framework.test import APIClient

from autonomy.models import Autonomy, AutonomyGrant, ClarifiedFlexibility, Domain, EligibilityCriterion, GrantStatus
from autonomy.models.catalog import CATALOG_TEXT_FIELDS, AutonomyRevision
from autonomy.services import autonomy_catalog_update
from autonomy.services import grants as grant_services
from core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.translated import stored
from demo.services.catalog_text import CATALOG_TEXT, catalog_text_fill
from metrics.models import Metric
from schools.models import Role
from tests.autonomy.factories import CallFactory
from tests.factories import SchoolFactory, grant

pytestmark = pytest.mark.django_db

HIRING = "people.hiring"


def _entry_url(code=HIRING):
    return reverse("autonomy:catalog_entry", args=[code])


def _edit_url(code=HIRING):
    return reverse("autonomy:catalog_edit", args=[code])


def _edit_data(autonomy, **changes):
    """What the edit form sends back untouched: every text as stored (English and Spanish), and `changes`."""
    data = {name: stored(autonomy, name) for name in CATALOG_TEXT_FIELDS} | {"note": "", "seen_revision": ""}
    return data | changes


# --- The service ----------------------------------------------------------------------------------


def test_the_autonomy_office_changes_an_entry_and_the_change_is_kept(make_member):
    office = make_member(Role.ADMIN, first_name="Ada", last_name="Office")
    before = Autonomy.objects.get(code=HIRING)

    revision = autonomy_catalog_update(
        actor=office,
        code=HIRING,
        texts={"school_decides": "Hire every teacher.", "district_keeps": "The salary schedule.", "name": before.name},
        note="Spelled out the boundaries.",
    )

    entry = Autonomy.objects.get(code=HIRING)
    assert (entry.school_decides, entry.district_keeps) == ("Hire every teacher.", "The salary schedule.")
    assert revision.changed_by == office and revision.note == "Spelled out the boundaries."
    # Only what differed is recorded, with the words before and after.
    assert revision.changes == {
        "school_decides": {"from": before.school_decides, "to": "Hire every teacher."},
        "district_keeps": {"from": before.district_keeps, "to": "The salary schedule."},
    }
    assert [label for label, _, _ in revision.changed_fields] == [
        "What the school decides",
        "What stays with the district",
    ]


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_nobody_else_may_change_the_catalog(school, make_member, role):
    at = school if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None
    user = make_member(role, school=at, function="hr" if role == Role.REVIEWER else "")
    with pytest.raises(NotPermitted):
        autonomy_catalog_update(actor=user, code=HIRING, texts={"school_decides": "Anything at all."})
    assert Autonomy.objects.get(code=HIRING).school_decides == ""
    assert not AutonomyRevision.objects.exists()


@pytest.mark.parametrize(
    "texts, field",
    [
        ({"district_keeps": "x" * (NOTE_TEXT + 1)}, "district_keeps"),
        ({"school_decides": "x" * (NOTE_TEXT + 1)}, "school_decides"),
        ({"name": "x" * (SHORT_TEXT + 1)}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "Control the school budget"}, "name"),  # another entry's name
        ({"code": "people.other"}, "code"),  # not one of the words the portal edits
    ],
)
def test_bad_words_are_refused_naming_the_field_and_nothing_is_saved(make_member, texts, field):
    office = make_member(Role.ADMIN)
    before = Autonomy.objects.get(code=HIRING)
    with pytest.raises(ApplicationError) as refused:
        autonomy_catalog_update(actor=office, code=HIRING, texts=texts)
    assert field in refused.value.fields
    after = Autonomy.objects.get(code=HIRING)
    assert (after.name, after.code, after.district_keeps) == (before.name, before.code, before.district_keeps)
    assert not AutonomyRevision.objects.exists()


def test_a_note_longer_than_its_limit_is_refused(make_member):
    with pytest.raises(ApplicationError) as refused:
        autonomy_catalog_update(
            actor=make_member(Role.ADMIN), code=HIRING, texts={"school_decides": "Hire."}, note="x" * (NOTE_TEXT + 1)
        )
    assert "note" in refused.value.fields
    assert not AutonomyRevision.objects.exists()


def test_saving_the_same_words_records_nothing(make_member):
    entry = Autonomy.objects.get(code=HIRING)
    revision = autonomy_catalog_update(
        actor=make_member(Role.ADMIN), code=HIRING, texts={"name": entry.name, "description": entry.description}
    )
    assert revision is None
    assert not AutonomyRevision.objects.exists()


def test_a_change_made_meanwhile_is_not_overwritten(make_member):
    first, second = make_member(Role.ADMIN), make_member(Role.ADMIN)
    autonomy_catalog_update(actor=first, code=HIRING, texts={"school_decides": "First words."})
    with pytest.raises(Conflict):
        # The second person opened the form before the first saved: they saw no revision.
        autonomy_catalog_update(
            actor=second, code=HIRING, texts={"school_decides": "Second words."}, seen_revision_id=None
        )
    assert Autonomy.objects.get(code=HIRING).school_decides == "First words."
    assert AutonomyRevision.objects.count() == 1


def test_an_unknown_entry_is_not_found(make_member):
    with pytest.raises(NotFound):
        autonomy_catalog_update(actor=make_member(Role.ADMIN), code="people.nothing", texts={"name": "X"})


# --- The list and an entry's page -----------------------------------------------------------------


def test_every_signed_in_person_reads_the_catalog_by_domain(make_member, client_for):
    nobody = make_member(Role.VIEWER)
    response = client_for(nobody).get(reverse("autonomy:catalog"))
    assert response.status_code == 200
    domains = response.context["domains"]
    assert [label for _, label, _ in domains] == [d.label for d in Domain]
    listed = {a.code for _, _, entries in domains for a in entries}
    assert listed == set(Autonomy.objects.values_list("code", flat=True))
    html = response.content.decode()
    assert _entry_url() in html
    assert reverse("autonomy:flexibility_list") in html


def test_the_navigation_links_the_catalog(make_member, client_for, school):
    html = client_for(make_member(Role.PRINCIPAL, school=school)).get(reverse("inbox")).content.decode()
    assert f'<a href="{reverse("autonomy:catalog")}">Catalog</a>' in html


def _holders(make_member):
    """Three schools with hiring: two hold it today, one from next month; a fourth's was revoked."""
    office = make_member(Role.ADMIN)
    north, south, later, revoked = (SchoolFactory(name=name) for name in ("North", "South", "Later", "Revoked"))
    grant(north, HIRING)
    grant(south, HIRING)
    grant(later, HIRING, starts_on=timezone.localdate() + datetime.timedelta(days=30))
    gone = grant(revoked, HIRING)
    grant_services.grant_change(actor=office, grant_id=gone.pk, action="revoke", reason="Six vacancies.")
    assert AutonomyGrant.objects.get(pk=gone.pk).status == GrantStatus.REVOKED
    return north, south, later, revoked


def test_held_today_counts_the_schools_holding_it_today_only(make_member, client_for):
    _holders(make_member)
    response = client_for(make_member(Role.VIEWER)).get(reverse("autonomy:catalog"))
    counts = {a.code: a.held_count for _, _, entries in response.context["domains"] for a in entries}
    assert counts[HIRING] == 2  # not the school whose grant starts next month, nor the revoked one
    assert counts["money.budget"] == 0
    assert "Held today by <strong>2 schools</strong>" in response.content.decode()


def test_central_office_sees_every_school_holding_it(make_member, client_for):
    _holders(make_member)
    response = client_for(make_member(Role.VIEWER)).get(_entry_url())
    html = response.content.decode()
    assert "2 schools in the district hold this decision today." in html
    assert [g.school.name for g in response.context["page"].holders] == ["North", "South"]
    assert "Later" not in html and "Revoked" not in html


def test_a_principal_sees_the_count_but_only_their_own_school_named(make_member, client_for):
    north, south, _, _ = _holders(make_member)
    principal = make_member(Role.PRINCIPAL, school=north)
    response = client_for(principal).get(_entry_url())
    html = response.content.decode()
    assert "2 schools in the district hold this decision today." in html
    assert "Of these, you work with 1:" in html
    assert [g.school for g in response.context["page"].holders] == [north]
    assert south.name not in html
    assert reverse("autonomy:school_grants", args=[south.code]) not in html
    assert f"{north.name} holds this decision since Jul 1, 2026." in html


def test_a_person_with_no_school_sees_the_count_and_no_school(make_member, client_for):
    north, south, _, _ = _holders(make_member)
    liaison = make_member(Role.LIAISON)  # an empty caseload
    html = client_for(liaison).get(_entry_url()).content.decode()
    assert "2 schools in the district hold this decision today." in html
    assert "None of them is a school you work with." in html
    assert north.name not in html and south.name not in html


def test_the_entry_states_its_boundaries_and_how_it_is_earned(make_member, client_for):
    catalog_text_fill()
    budget = Autonomy.objects.get(code="money.budget")
    EligibilityCriterion.objects.create(
        autonomy=budget, metric=Metric.objects.get(code="finance_rating"), comparator=">=", threshold=4
    )
    html = client_for(make_member(Role.VIEWER)).get(_entry_url("money.budget")).content.decode()
    school_decides, district_keeps = CATALOG_TEXT["money.budget"]
    for point in (school_decides + "\n" + district_keeps).splitlines():
        assert point.replace("'", "&#x27;") in html
    assert "Earned autonomy." in html
    assert f"{Metric.objects.get(code='finance_rating').name} at least 4" in html
    assert "No school in the district holds this decision today." in html


def test_an_entry_not_yet_written_says_so(make_member, client_for):
    html = client_for(make_member(Role.VIEWER)).get(_entry_url()).content.decode()
    assert html.count("The autonomy office has not written this part of the entry yet.") == 2


def test_an_unknown_entry_is_404(make_member, client_for):
    assert client_for(make_member(Role.VIEWER)).get(_entry_url("people.nothing")).status_code == 404


def test_a_principal_whose_school_lacks_it_is_offered_the_open_call(school, make_member, client_for):
    call = CallFactory(offers=[HIRING, "money.budget"])
    CallFactory(offers=["money.budget"])  # a call that does not offer hiring
    principal = make_member(Role.PRINCIPAL, school=school)

    response = client_for(principal).get(_entry_url())

    html = response.content.decode()
    assert response.context["page"].open_calls == [call]
    assert f"{school.name} does not hold this decision today." in html
    assert reverse("autonomy:request_start", args=[call.pk]) in html
    assert "Start a request" in html


def test_a_school_that_holds_it_is_not_offered_a_request(school, make_member, client_for):
    CallFactory(offers=[HIRING])
    grant(school, HIRING)
    html = client_for(make_member(Role.PRINCIPAL, school=school)).get(_entry_url()).content.decode()
    assert f"{school.name} holds this decision since" in html
    assert "Start a request" not in html


def test_central_office_sees_the_open_call_without_a_request_form(make_member, client_for):
    call = CallFactory(offers=[HIRING])
    html = client_for(make_member(Role.VIEWER)).get(_entry_url()).content.decode()
    assert call.title in html
    assert "Start a request" not in html


def test_without_an_open_call_the_page_says_so(make_member, client_for, school):
    closed = CallFactory(
        offers=[HIRING],
        opens_on=timezone.localdate() - datetime.timedelta(days=60),
        closes_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    html = client_for(make_member(Role.PRINCIPAL, school=school)).get(_entry_url()).content.decode()
    assert "No call for proposals open today offers this autonomy." in html
    assert "The autonomy office grants it up front" in html  # hiring is full autonomy with expectations
    assert closed.title not in html


def test_clarified_flexibilities_of_the_autonomy_are_shown(make_member, client_for):
    office = make_member(Role.ADMIN)
    hiring = Autonomy.objects.get(code=HIRING)
    ClarifiedFlexibility.objects.create(
        autonomy=hiring,
        domain=Domain.PEOPLE,
        barrier="Interview candidates on a Saturday.",
        explanation="Allowed.",
        clarified_by=office,
    )
    html = client_for(make_member(Role.VIEWER)).get(_entry_url()).content.decode()
    assert "1 thing a school thought this autonomy was needed for" in html
    assert "Interview candidates on a Saturday." in html


def test_the_entry_page_costs_the_same_queries_for_1_and_20_holders(make_member, client_for, django_assert_num_queries):
    viewer = make_member(Role.VIEWER)
    client = client_for(viewer)
    grant(SchoolFactory(), HIRING)
    client.get(_entry_url())  # warm the roles cache and the session
    with CaptureQueriesContext(connection) as one:
        client.get(_entry_url())
    for _ in range(19):
        grant(SchoolFactory(), HIRING)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(_entry_url())
    assert len(response.context["page"].holders) == 20


# --- Editing in the portal ------------------------------------------------------------------------


def test_the_office_edits_an_entry_and_its_history_shows_who_when_and_what(make_member, client_for):
    office = make_member(Role.ADMIN, first_name="Ada", last_name="Office")
    client = client_for(office)
    entry = Autonomy.objects.get(code=HIRING)
    assert client.get(_edit_url()).status_code == 200

    response = client.post(
        _edit_url(),
        _edit_data(entry, district_keeps="The salary schedule.\nDue process.", note="Boundaries from the board."),
    )

    assert response.status_code == 302 and response.url == _entry_url()
    html = client.get(_entry_url()).content.decode()
    assert "<li>The salary schedule.</li>" in html and "<li>Due process.</li>" in html
    assert "Ada Office changed what stays with the district." in html
    assert "Boundaries from the board." in html
    revision = AutonomyRevision.objects.get()
    assert revision.changes["district_keeps"]["to"] == "The salary schedule.\nDue process."
    assert revision.changed_by == office
    assert date_format(timezone.localtime(revision.changed_at), "M j, Y, g:i a") in html  # when


def test_an_entry_page_for_the_office_links_the_edit_form_and_not_for_others(make_member, client_for, school):
    assert _edit_url() in client_for(make_member(Role.ADMIN)).get(_entry_url()).content.decode()
    assert _edit_url() not in client_for(make_member(Role.PRINCIPAL, school=school)).get(_entry_url()).content.decode()


def test_a_too_long_entry_is_refused_on_the_page_naming_the_field(make_member, client_for):
    client = client_for(make_member(Role.ADMIN))
    entry = Autonomy.objects.get(code=HIRING)
    response = client.post(_edit_url(), _edit_data(entry, school_decides="x" * (NOTE_TEXT + 1)))
    assert response.status_code == 400
    assert response.context["form"].errors["school_decides"]
    assert "What the school decides" in response.content.decode()
    assert Autonomy.objects.get(code=HIRING).school_decides == ""
    assert not AutonomyRevision.objects.exists()


def test_a_blank_name_is_refused_on_the_page(make_member, client_for):
    client = client_for(make_member(Role.ADMIN))
    response = client.post(_edit_url(), _edit_data(Autonomy.objects.get(code=HIRING), name=""))
    assert response.status_code == 400
    assert "Give the autonomy a name." in response.content.decode()
    assert not AutonomyRevision.objects.exists()


def test_another_entrys_name_is_refused_by_the_service_next_to_the_field(make_member, client_for):
    client = client_for(make_member(Role.ADMIN))
    response = client.post(_edit_url(), _edit_data(Autonomy.objects.get(code=HIRING), name="Control the school budget"))
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Another autonomy in the catalog has this name."]


def test_a_stale_form_is_refused_as_a_conflict_keeping_the_words(make_member, client_for):
    office, other = make_member(Role.ADMIN), make_member(Role.ADMIN)
    autonomy_catalog_update(actor=other, code=HIRING, texts={"school_decides": "Their words."})
    response = client_for(office).post(
        _edit_url(), _edit_data(Autonomy.objects.get(code=HIRING), school_decides="My words.", seen_revision="")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Somebody else changed this entry first" in html
    assert "My words." in html  # what the person typed is still in the form
    assert Autonomy.objects.get(code=HIRING).school_decides == "Their words."


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_anyone_else_is_answered_403_and_nothing_is_saved(school, make_member, client_for, role):
    at = school if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None
    client = client_for(make_member(role, school=at, function="hr" if role == Role.REVIEWER else ""))
    entry = Autonomy.objects.get(code=HIRING)
    assert client.get(_edit_url()).status_code == 403
    response = client.post(_edit_url(), _edit_data(entry, school_decides="Anything."))
    assert response.status_code == 403
    assert "Only the autonomy office edits the autonomy catalog." in response.content.decode()
    assert Autonomy.objects.get(code=HIRING).school_decides == ""
    assert not AutonomyRevision.objects.exists()


# --- The demo's catalog ---------------------------------------------------------------------------


def test_the_demo_states_the_boundaries_of_every_autonomy_in_the_catalog():
    catalog_text_fill()
    for entry in Autonomy.objects.all():
        assert entry.school_decides.strip(), entry.code
        assert entry.district_keeps.strip(), entry.code
        if entry.model == "full":
            assert entry.retention_expectations.strip(), entry.code


# --- The API --------------------------------------------------------------------------------------


def test_the_api_reads_an_entrys_boundaries(make_member, school):
    autonomy_catalog_update(
        actor=make_member(Role.ADMIN),
        code=HIRING,
        texts={"school_decides": "Hire every teacher.", "district_keeps": "The salary schedule."},
    )
    client = APIClient()
    client.force_authenticate(make_member(Role.PRINCIPAL, school=school))
    body = client.get(f"/api/v1/autonomies/{HIRING}/").json()
    assert (body["school_decides"], body["district_keeps"]) == ("Hire every teacher.", "The salary schedule.")
    assert body["retention_expectations"] == ""


def test_the_django_admin_shows_the_words_read_only_with_their_history(make_member, client_for):
    office = make_member(Role.ADMIN, is_staff=True, is_superuser=True)
    autonomy_catalog_update(actor=office, code=HIRING, texts={"school_decides": "Hire every teacher."})
    entry = Autonomy.objects.get(code=HIRING)
    response = client_for(office).get(reverse("admin:autonomy_autonomy_change", args=[entry.pk]))
    assert response.status_code == 200
    assert 'name="school_decides"' not in response.content.decode()  # edited on the catalog page only
    assert "Hire every teacher." in response.content.decode()


def test_a_text_box_sent_back_untouched_is_not_a_change(make_member, client_for):
    """A browser sends a text box's lines with CRLF; the entry's stored lines end in LF."""
    catalog_text_fill()
    client = client_for(make_member(Role.ADMIN))
    entry = Autonomy.objects.get(code=HIRING)
    as_sent = {name: getattr(entry, name).replace("\n", "\r\n") for name in ("school_decides", "district_keeps")}
    response = client.post(_edit_url(), _edit_data(entry, **as_sent, description="Hiring, in full."))
    assert response.status_code == 302
    assert list(AutonomyRevision.objects.get().changes) == ["description"]
    assert Autonomy.objects.get(code=HIRING).school_decides == entry.school_decides
