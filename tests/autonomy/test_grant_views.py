import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from autonomy.models import (
    Autonomy,
    AutonomyGrant,
    ClarifiedFlexibility,
    Domain,
    GrantEvent,
    GrantStatus,
)
from autonomy.services import grants as grant_services
from core.models import Notification
from schools.models import Cohort, Role
from tests.factories import NetworkFactory, SchoolFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def _suspend(the_grant, actor, reason="Missed the vacancy benchmark."):
    return grant_services.grant_change(actor=actor, grant_id=the_grant.pk, action="suspend", reason=reason)


def _matrix_codes(response):
    return [row.school.code for row in response.context["rows"]]


def _columns(response):
    return [autonomy.code for autonomy in response.context["autonomies"]]


# --- One school's history -------------------------------------------------------------------------


def test_school_history_shows_every_grant_with_its_timeline(school, make_member, client_for):
    admin = make_member(Role.ADMIN, first_name="Ada", last_name="Office")
    hiring = grant(school, "people.hiring", actor=admin)
    _suspend(hiring, admin, reason="Five vacancies on the first day of school.")
    budget = grant(school, "money.budget")
    grant_services.grant_change(actor=admin, grant_id=budget.pk, action="revoke", reason="Audit finding.")
    principal = make_member(Role.PRINCIPAL, school=school)

    response = client_for(principal).get(reverse("autonomy:school_grants", args=[school.code]))

    assert response.status_code == 200
    statuses = {r.grant.autonomy.code: r.grant.status for r in response.context["records"]}
    assert statuses == {"people.hiring": GrantStatus.SUSPENDED, "money.budget": GrantStatus.REVOKED}
    html = response.content.decode()
    assert "Five vacancies on the first day of school." in html
    assert "Audit finding." in html
    assert "Ada Office" in html
    assert 'Active <span aria-hidden="true">→</span>' in html
    assert reverse("autonomy:grant_change", args=[hiring.pk]) not in html  # only the autonomy office changes grants


def test_school_history_shows_retention_benchmarks_and_evidence_of_full_grants(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    cohort = Cohort.objects.create(name="Pilot")
    school.cohort = cohort
    school.save()
    grant_services.grants_issue_to_scope(
        actor=admin,
        autonomy=Autonomy.objects.get(code="people.hiring"),
        cohort=cohort,
        reason="Pilot year one.",
        retention_benchmarks="No more than 3 teacher vacancies on the first day of school.",
        starts_on=datetime.date(2026, 7, 1),
    )
    html = client_for(admin).get(reverse("autonomy:school_grants", args=[school.code])).content.decode()
    assert "No more than 3 teacher vacancies on the first day of school." in html
    assert "Granted to the Pilot cohort." in html


def test_admin_sees_a_change_link_for_live_grants_only(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    live = grant(school, "people.hiring")
    revoked = grant(school, "money.budget")
    grant_services.grant_change(actor=admin, grant_id=revoked.pk, action="revoke", reason="Audit.")
    html = client_for(admin).get(reverse("autonomy:school_grants", args=[school.code])).content.decode()
    assert reverse("autonomy:grant_change", args=[live.pk]) in html
    assert reverse("autonomy:grant_change", args=[revoked.pk]) not in html


def test_principal_gets_404_for_another_schools_history(school, other_school, make_member, client_for):
    grant(other_school, "people.hiring")
    principal = make_member(Role.PRINCIPAL, school=school)
    assert client_for(principal).get(reverse("autonomy:school_grants", args=[other_school.code])).status_code == 404


def test_liaison_sees_the_caseload_history_only(make_member, client_for):
    liaison = make_member(Role.LIAISON)
    mine, theirs = SchoolFactory(liaison=liaison), SchoolFactory()
    client = client_for(liaison)
    assert client.get(reverse("autonomy:school_grants", args=[mine.code])).status_code == 200
    assert client.get(reverse("autonomy:school_grants", args=[theirs.code])).status_code == 404


def test_school_history_query_count_does_not_grow_with_grants(
    school, make_member, client_for, django_assert_num_queries
):
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    url = reverse("autonomy:school_grants", args=[school.code])
    _suspend(grant(school, "people.hiring"), admin)
    client.get(url)  # warm: session, roles and unread count are cached from here on
    # user, school, grants, events with actors
    with django_assert_num_queries(4):
        client.get(url)
    for code in ("money.budget", "time.schedule", "program.curriculum"):
        _suspend(grant(school, code), admin)
    client.get(url)  # re-cache what the suspensions cleared
    with django_assert_num_queries(4):
        assert len(client.get(url).context["records"]) == 4


# --- The district matrix --------------------------------------------------------------------------


def test_matrix_cells_say_held_at_risk_suspended_or_not_held_in_words(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    grant(school, "people.hiring")
    _suspend(grant(school, "money.budget"), admin)
    grant_services.grant_change(
        actor=None, grant_id=grant(school, "time.schedule").pk, action="put_at_risk", reason="Notice."
    )
    response = client_for(admin).get(reverse("autonomy:grants_matrix"))
    (row,) = response.context["rows"]
    cells = {cell.autonomy.code: cell.short for cell in row.cells}
    assert cells["people.hiring"] == "Held"
    assert cells["money.budget"] == "Susp."
    assert cells["time.schedule"] == "At risk"
    assert cells["program.curriculum"] == "—"
    html = response.content.decode()
    assert '<span class="visually-hidden">Suspended</span>' in html
    assert '<span class="visually-hidden">Not held</span>' in html


def test_matrix_filters_by_network_and_search(make_member, client_for):
    admin = make_member(Role.ADMIN)
    north = NetworkFactory(name="North")
    SchoolFactory(code="A1", name="Lincoln Elementary", network=north)
    SchoolFactory(code="A2", name="Lincoln High")
    SchoolFactory(code="A3", name="Carver Middle", network=north)
    client = client_for(admin)
    url = reverse("autonomy:grants_matrix")
    assert _matrix_codes(client.get(url, {"network": north.pk})) == ["A3", "A1"]
    assert _matrix_codes(client.get(url, {"q": "lincoln"})) == ["A1", "A2"]
    assert _matrix_codes(client.get(url, {"q": "a3"})) == ["A3"]


def test_matrix_domain_and_model_limit_the_columns(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory()
    client = client_for(admin)
    url = reverse("autonomy:grants_matrix")
    people = _columns(client.get(url, {"domain": "people"}))
    assert people and all(code.startswith("people.") for code in people)
    full = _columns(client.get(url, {"model": "full"}))
    assert set(full) == set(Autonomy.objects.filter(model="full").values_list("code", flat=True))
    assert _columns(client.get(url, {"domain": "time", "model": "full"})) == ["time.schedule", "time.pd_calendar"]
    assert len(_columns(client.get(url))) == Autonomy.objects.count()


def test_matrix_status_keeps_schools_with_a_grant_in_that_status(make_member, client_for):
    admin = make_member(Role.ADMIN)
    holding, suspended, bare = (SchoolFactory(code=c) for c in ("H1", "S1", "B1"))
    grant(holding, "people.hiring")
    _suspend(grant(suspended, "money.budget"), admin)
    client = client_for(admin)
    url = reverse("autonomy:grants_matrix")
    assert _matrix_codes(client.get(url, {"status": "suspended"})) == ["S1"]
    assert _matrix_codes(client.get(url, {"status": "active"})) == ["H1"]
    # The status counts among the columns shown: S1's suspended grant is a money one.
    assert _matrix_codes(client.get(url, {"status": "suspended", "domain": "people"})) == []
    assert len(_matrix_codes(client.get(url))) == 3


def test_principal_sees_only_their_schools_row(school, make_member, client_for):
    SchoolFactory.create_batch(3)
    principal = make_member(Role.PRINCIPAL, school=school)
    response = client_for(principal).get(reverse("autonomy:grants_matrix"))
    assert response.status_code == 200
    assert _matrix_codes(response) == [school.code]


def test_liaison_sees_the_caseload_rows(make_member, client_for):
    liaison = make_member(Role.LIAISON)
    mine = SchoolFactory.create_batch(2, liaison=liaison)
    SchoolFactory.create_batch(2)
    response = client_for(liaison).get(reverse("autonomy:grants_matrix"))
    assert set(_matrix_codes(response)) == {s.code for s in mine}


def test_user_without_a_role_gets_404_for_the_matrix_and_export(client_for):
    client = client_for(UserFactory())
    assert client.get(reverse("autonomy:grants_matrix")).status_code == 404
    assert client.get(reverse("autonomy:grants_matrix_csv")).status_code == 404


def test_matrix_htmx_request_renders_only_the_table(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory(name="Lincoln Elementary")
    response = client_for(admin).get(reverse("autonomy:grants_matrix"), {"q": "linc"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Lincoln Elementary" in html
    assert "<html" not in html
    assert 'hx-swap-oob="innerHTML">1 school match.' in html


def _schools_with_grants(count):
    schools = SchoolFactory.create_batch(count)
    for school in schools:
        grant(school, "people.hiring")
        grant(school, "money.budget")
    return schools


def test_matrix_query_count_does_not_grow_with_schools(make_member, client_for, django_assert_num_queries):
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    _schools_with_grants(10)
    client.get(reverse("autonomy:grants_matrix"), {"status": "active"})  # warm: session, roles, unread count cached
    # user, networks, catalog, count, page of schools, their grants
    with django_assert_num_queries(6):
        client.get(reverse("autonomy:grants_matrix"), {"status": "active"})
    _schools_with_grants(50)
    with django_assert_num_queries(6):
        response = client.get(reverse("autonomy:grants_matrix"), {"status": "active"})
    assert response.context["page"].paginator.count == 60
    assert len(response.context["rows"]) == 50


# --- The CSV export -------------------------------------------------------------------------------


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_export_lists_every_matching_school_with_a_column_per_autonomy(make_member, client_for):
    admin = make_member(Role.ADMIN)
    north = NetworkFactory(name="North")
    first = SchoolFactory(code="E001", name="Addams", network=north)
    grant(first, "people.hiring")
    _suspend(grant(first, "money.budget"), admin)
    SchoolFactory.create_batch(59)

    response = client_for(admin).get(reverse("autonomy:grants_matrix_csv"))

    assert response["Content-Disposition"].startswith('attachment; filename="decision-rights-')
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["school_code", "school_name", "network"]
    assert sorted(header[3:]) == sorted(Autonomy.objects.values_list("code", flat=True))
    domains = [code.split(".")[0] for code in header[3:]]
    assert sorted(set(domains), key=domains.index) == ["people", "time", "money", "program"]
    assert len(body) == 60  # every school, not one page
    addams = dict(zip(header, body[0], strict=True))
    assert addams["school_code"] == "E001"
    assert addams["network"] == "North"
    assert addams["people.hiring"] == "active"
    assert addams["money.budget"] == "suspended"
    assert addams["time.schedule"] == ""


def test_csv_export_applies_the_filters(make_member, client_for):
    admin = make_member(Role.ADMIN)
    north = NetworkFactory(name="North")
    SchoolFactory(code="N1", network=north)
    SchoolFactory(code="S1")
    rows = _csv(client_for(admin).get(reverse("autonomy:grants_matrix_csv"), {"network": north.pk, "domain": "money"}))
    assert rows[0][3:] and all(code.startswith("money.") for code in rows[0][3:])
    assert [row[0] for row in rows[1:]] == ["N1"]


def test_csv_export_neutralizes_formulas(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory(code="X1", name="=cmd()", network=NetworkFactory(name="+North"))
    SchoolFactory(code="X2", name="@SUM(A1)")
    rows = _csv(client_for(admin).get(reverse("autonomy:grants_matrix_csv")))
    exported = {row[0]: row for row in rows[1:]}
    assert exported["X1"][1:3] == ["'=cmd()", "'+North"]
    assert exported["X2"][1] == "'@SUM(A1)"


def test_principal_exports_only_their_school(school, make_member, client_for):
    SchoolFactory.create_batch(2)
    principal = make_member(Role.PRINCIPAL, school=school)
    rows = _csv(client_for(principal).get(reverse("autonomy:grants_matrix_csv")))
    assert [row[0] for row in rows[1:]] == [school.code]


# --- Changing a grant -----------------------------------------------------------------------------


def _change(client, the_grant, **data):
    data.setdefault("reason", "Five teacher vacancies on the first day of school.")
    data.setdefault("expected_status", the_grant.status)
    return client.post(reverse("autonomy:grant_change", args=[the_grant.pk]), data)


def test_change_page_offers_only_the_steps_open_from_the_status(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    the_grant = grant(school, "people.hiring")
    response = client_for(admin).get(reverse("autonomy:grant_change", args=[the_grant.pk]))
    assert response.status_code == 200
    offered = [value for value, _ in response.context["form"].fields["action"].choices]
    # A person's steps only: putting at risk and the steps "under the contract" are a contract rule's,
    # expiry the nightly job's.
    assert offered == ["suspend", "revoke"]
    _suspend(the_grant, admin)
    response = client_for(admin).get(reverse("autonomy:grant_change", args=[the_grant.pk]))
    assert [value for value, _ in response.context["form"].fields["action"].choices] == ["restore", "revoke"]


def test_admin_suspends_a_grant_and_the_school_is_told(make_member, client_for):
    admin = make_member(Role.ADMIN)
    liaison = make_member(Role.LIAISON)
    school = SchoolFactory(liaison=liaison)
    principal = make_member(Role.PRINCIPAL, school=school)
    the_grant = grant(school, "people.hiring")

    response = _change(client_for(admin), the_grant, action="suspend", evidence_note="HR vacancy report, Aug 17")

    assert response.status_code == 302
    assert response.url == reverse("autonomy:school_grants", args=[school.code])
    the_grant.refresh_from_db()
    assert the_grant.status == GrantStatus.SUSPENDED
    event = the_grant.events.order_by("-pk").first()
    assert (event.actor, event.from_status, event.to_status) == (admin, "active", "suspended")
    assert event.reason == "Five teacher vacancies on the first day of school."
    assert event.evidence == {"note": "HR vacancy report, Aug 17"}
    assert Notification.objects.filter(user=principal, url=response.url).count() == 1
    assert Notification.objects.filter(user=liaison, url=response.url).count() == 1
    assert "is now suspended" in str(list(get_messages(response.wsgi_request))[0])


def test_admin_restores_a_suspended_grant(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    the_grant = grant(school, "people.hiring")
    _suspend(the_grant, admin)
    the_grant.refresh_from_db()
    response = _change(client_for(admin), the_grant, action="restore", reason="Vacancies filled.")
    assert response.status_code == 302
    the_grant.refresh_from_db()
    assert the_grant.status == GrantStatus.ACTIVE
    assert the_grant.events.order_by("-pk").first().to_status == GrantStatus.ACTIVE


def test_a_step_not_open_from_the_status_is_refused_by_field(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    the_grant = grant(school, "people.hiring")
    response = _change(client_for(admin), the_grant, action="restore")
    assert response.status_code == 400
    assert "action" in response.context["form"].errors
    assert 'aria-describedby="id_action_error"' in response.content.decode()
    the_grant.refresh_from_db()
    assert the_grant.status == GrantStatus.ACTIVE
    assert the_grant.events.count() == 1


def test_a_change_without_a_reason_is_refused(school, make_member, client_for):
    admin = make_member(Role.ADMIN)
    the_grant = grant(school, "people.hiring")
    response = _change(client_for(admin), the_grant, action="suspend", reason=" ")
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    the_grant.refresh_from_db()
    assert the_grant.status == GrantStatus.ACTIVE


def test_a_stale_page_is_told_somebody_else_changed_the_grant(school, make_member, client_for):
    admin, other_admin = make_member(Role.ADMIN), make_member(Role.ADMIN)
    the_grant = grant(school, "people.hiring")
    _suspend(the_grant, other_admin)  # while the first admin's page still says "active"

    response = _change(client_for(admin), the_grant, action="revoke", expected_status="active")

    assert response.status_code == 409
    assert "Somebody acted on this grant first" in response.content.decode()
    the_grant.refresh_from_db()
    assert the_grant.status == GrantStatus.SUSPENDED
    assert the_grant.events.count() == 2
    # The page offers the steps open now, and keeps what the admin wrote.
    form = response.context["form"]
    assert [value for value, _ in form.fields["action"].choices] == ["restore", "revoke"]
    assert form.initial["reason"] == "Five teacher vacancies on the first day of school."


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_only_the_autonomy_office_may_change_a_grant(school, make_member, client_for, role):
    user = make_member(
        role, school=school if role == Role.PRINCIPAL else None, function="hr" if role == Role.REVIEWER else ""
    )
    school.liaison = user if role == Role.LIAISON else None
    school.save()
    the_grant = grant(school, "people.hiring")
    client = client_for(user)
    assert client.get(reverse("autonomy:grant_change", args=[the_grant.pk])).status_code == 404
    assert _change(client, the_grant, action="suspend").status_code == 404
    the_grant.refresh_from_db()
    assert the_grant.status == GrantStatus.ACTIVE
    assert GrantEvent.objects.count() == 1


def test_change_of_an_unknown_grant_is_404(make_member, client_for):
    admin = make_member(Role.ADMIN)
    assert client_for(admin).get(reverse("autonomy:grant_change", args=[999999])).status_code == 404


# --- Granting to a cohort or the district ---------------------------------------------------------


def _issue(client, **data):
    data = {
        "autonomy": Autonomy.objects.get(code="people.hiring").pk,
        "reason": "Pilot year one.",
        "retention_benchmarks": "No more than 3 teacher vacancies on the first day of school.",
        "starts_on": "2026-07-01",
        **data,
    }
    return client.post(reverse("autonomy:grants_issue_scope"), data)


def test_issue_to_a_cohort_grants_exactly_its_schools(make_member, client_for):
    admin = make_member(Role.ADMIN)
    pilot = Cohort.objects.create(name="Pilot")
    in_pilot = SchoolFactory.create_batch(3, cohort=pilot)
    outside = SchoolFactory()
    grant(in_pilot[0], "people.hiring")

    response = _issue(client_for(admin), scope=str(pilot.pk))

    assert response.status_code == 302
    live = AutonomyGrant.objects.filter(autonomy__code="people.hiring", status=GrantStatus.ACTIVE)
    assert set(live.values_list("school_id", flat=True)) == {s.pk for s in in_pilot}
    assert not live.filter(school=outside).exists()
    issued = live.exclude(school=in_pilot[0])
    assert set(issued.values_list("retention_benchmarks", flat=True)) == {
        "No more than 3 teacher vacancies on the first day of school."
    }
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Granted to 2 schools (1 already held it)."]


def test_a_cohort_grant_never_re_grants_a_revoked_one_and_names_it_for_reinstatement(make_member, client_for):
    admin = make_member(Role.ADMIN)
    pilot = Cohort.objects.create(name="Pilot")
    revoked_school, fresh = SchoolFactory.create_batch(2, cohort=pilot)
    revoked = grant(revoked_school, "people.hiring")
    grant_services.grant_change(
        actor=None, grant_id=revoked.pk, action="revoke_by_rule", reason="Six vacancies on the first day."
    )

    response = _issue(client_for(admin), scope=str(pilot.pk))

    assert response.status_code == 302
    hiring = AutonomyGrant.objects.filter(autonomy__code="people.hiring")
    assert list(hiring.filter(school=revoked_school).values_list("status", flat=True)) == [GrantStatus.REVOKED]
    assert hiring.get(school=fresh).status == GrantStatus.ACTIVE
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said[0] == "Granted to 1 school (0 already held it)."
    assert f"Not granted where it was revoked: {revoked_school.code} {revoked_school.name}" in said[1]

    # Reinstating is the grant's own step, offered on its page, recorded with its reason.
    revoked.refresh_from_db()
    page = client_for(admin).get(reverse("autonomy:grant_change", args=[revoked.pk]))
    assert [value for value, _ in page.context["form"].fields["action"].choices] == ["reinstate"]
    response = _change(client_for(admin), revoked, action="reinstate", reason="Vacancies filled by October.")
    assert response.status_code == 302
    revoked.refresh_from_db()
    event = revoked.events.latest("pk")
    assert revoked.status == GrantStatus.ACTIVE
    assert (event.action, event.from_status, event.reason) == ("reinstate", "revoked", "Vacancies filled by October.")


def test_issue_to_the_district_grants_every_school(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory.create_batch(4)
    response = _issue(client_for(admin), scope="district", ends_on="2027-06-30")
    assert response.status_code == 302
    assert AutonomyGrant.objects.filter(ends_on=datetime.date(2027, 6, 30)).count() == 4


def test_issue_refuses_an_autonomy_not_offered_as_full(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory.create_batch(2)
    response = _issue(client_for(admin), scope="district", autonomy=Autonomy.objects.get(code="money.budget").pk)
    assert response.status_code == 400
    assert "autonomy" in response.context["form"].errors
    assert not AutonomyGrant.objects.exists()


def test_issue_refuses_without_a_retention_benchmark(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory.create_batch(2)
    response = _issue(client_for(admin), scope="district", retention_benchmarks="   ")
    assert response.status_code == 400
    assert "retention_benchmarks" in response.context["form"].errors
    assert "id_retention_benchmarks_error" in response.content.decode()
    assert not AutonomyGrant.objects.exists()


def test_issue_refuses_an_end_before_the_start(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory()
    response = _issue(client_for(admin), scope="district", ends_on="2026-06-01")
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert not AutonomyGrant.objects.exists()


def test_issue_form_offers_only_full_autonomies_and_every_cohort(make_member, client_for):
    admin = make_member(Role.ADMIN)
    Cohort.objects.create(name="Pilot")
    form = client_for(admin).get(reverse("autonomy:grants_issue_scope")).context["form"]
    assert {a.model for a in form.fields["autonomy"].queryset} == {"full"}
    assert [label.split(" (")[0] for _, label in form.fields["scope"].choices] == [
        "Every school in the district",
        "Pilot",
    ]


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.LIAISON, Role.REVIEWER, Role.VIEWER])
def test_only_the_autonomy_office_may_issue(school, make_member, client_for, role):
    user = make_member(
        role, school=school if role == Role.PRINCIPAL else None, function="hr" if role == Role.REVIEWER else ""
    )
    client = client_for(user)
    assert client.get(reverse("autonomy:grants_issue_scope")).status_code == 404
    assert _issue(client, scope="district").status_code == 404
    assert not AutonomyGrant.objects.exists()


# --- Clarified flexibilities ----------------------------------------------------------------------


def _clarify(code, barrier, explanation, days_ago):
    autonomy = Autonomy.objects.get(code=code)
    flexibility = ClarifiedFlexibility.objects.create(
        autonomy=autonomy, domain=autonomy.domain, barrier=barrier, explanation=explanation, clarified_by=UserFactory()
    )
    created = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC) - datetime.timedelta(days=days_ago)
    ClarifiedFlexibility.objects.filter(pk=flexibility.pk).update(created_at=created)
    return flexibility


def test_flexibility_list_is_newest_first_searchable_and_filterable(school, make_member, client_for):
    bells = _clarify("time.schedule", "We cannot change bell times.", "Schools set their own bell times.", 5)
    field_trips = _clarify("program.offerings", "Field trips need board approval.", "Only overnight trips do.", 1)
    subs = _clarify("people.hiring", "We cannot pick substitutes.", "Principals may request named subs.", 3)
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    url = reverse("autonomy:flexibility_list")

    listed = lambda response: list(response.context["page"].object_list)  # noqa: E731
    assert listed(client.get(url)) == [field_trips, subs, bells]
    assert listed(client.get(url, {"q": "bell"})) == [bells]
    assert listed(client.get(url, {"q": "named subs"})) == [subs]
    assert listed(client.get(url, {"domain": Domain.PROGRAM})) == [field_trips]
    assert listed(client.get(url, {"domain": Domain.PEOPLE, "q": "bell"})) == []
    assert "Only overnight trips do." in client.get(url).content.decode()


def test_flexibility_list_needs_a_login(client):
    response = client.get(reverse("autonomy:flexibility_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
