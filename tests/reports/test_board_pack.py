"""The board decision pack: for a range of dates, exactly what was decided and changed in it, on the page
and in the PDF; the autonomy office only; bad dates refused naming the field; the page's queries do not
grow with the number of events.

The district is built through the services as the product builds it; the records meant to fall before the
range are then moved back in time (their timestamps only), since the services stamp the present."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accountability.models import FlagEvent, InterventionFlag
from accountability.services import evaluation_run, flag_escalate
from autonomy.models import AutonomyRequest, GrantEvent
from autonomy.services import ItemChoice, grant_change, request_decide, request_decline
from contracts.models import ContractTemplate, PerformanceContract, TemplateBenchmark, TemplateRule
from contracts.services import (
    contract_amend,
    contract_countersign,
    contract_create_from_template,
    contract_propose,
    contract_sign,
)
from metrics.models import Metric, Observation
from reports.services.packs import board_pack_build, render_board_pack_pdf
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import MembershipFactory, SchoolFactory, SchoolYearFactory, grant
from tests.world import NO_ROLE, build_world

PASSWORD = "correct-horse-battery"
LONG_AGO = timezone.make_aware(datetime.datetime(2024, 3, 1, 10, 0))


def _decide_own(world) -> None:
    request = world["requests"][True]
    items = {item.autonomy.code: item for item in request.items.select_related("autonomy")}
    request_decide(
        actor=world["users"][Role.ADMIN],
        request_id=request.pk,
        note="A strong plan for the school's budget.",
        choices={
            items["money.budget"].pk: ItemChoice(
                "approved", note="Budget freedom from July.", override_reason="The board's priority this year."
            ),
            items["program.curriculum"].pk: ItemChoice("declined", note="Not this year."),
        },
    )


def _amend_and_sign(world, contract) -> PerformanceContract:
    admin, principal = world["users"][Role.ADMIN], world["users"][Role.PRINCIPAL]
    amendment = contract_amend(actor=admin, contract_id=contract.pk, reason="Adding the budget autonomy.")
    contract_propose(actor=admin, contract_id=amendment.pk)
    contract_sign(actor=principal, contract_id=amendment.pk, password=PASSWORD)
    return contract_countersign(actor=admin, contract_id=amendment.pk, password=PASSWORD)


def _long_ago_school(world) -> dict:
    """A school whose grant change and decided request all happened before the range."""
    admin = world["users"][Role.ADMIN]
    school = SchoolFactory(name="Longago Academy", code="OLD01")
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    old_grant = grant(school, "program.curriculum")
    grant_change(actor=admin, grant_id=old_grant.pk, action="revoke", reason="Revoked long ago for cause.")
    GrantEvent.objects.filter(grant=old_grant).update(at=LONG_AGO)
    call = CallFactory(created_by=admin, offers=["money.budget"])
    request = complete_request(principal=principal, school=school, call=call, codes=("money.budget",), submit=True)
    request_decline(actor=admin, request_id=request.pk, note="Declined long ago.")
    AutonomyRequest.objects.filter(pk=request.pk).update(decided_at=LONG_AGO)
    return {"school": school, "grant": old_grant}


def pack_world() -> dict:
    """build_world's district, then in the range: the own school's request approved in part and the other
    school's declined; the own school's hiring grant suspended and restored, the other's revoked; the own
    school's contract amended and the amendment signed; the own school's flag raised a level. Before the
    range: the other school's contract and flag, and everything of a third school."""
    world = build_world()
    admin = world["users"][Role.ADMIN]
    _decide_own(world)
    request_decline(actor=admin, request_id=world["requests"][False].pk, note="The plan lacks outcomes we can measure.")
    own_grant, other_grant = world["grants"][True], world["grants"][False]
    grant_change(actor=admin, grant_id=own_grant.pk, action="suspend", reason="Hiring rules were not followed.")
    grant_change(actor=admin, grant_id=own_grant.pk, action="restore", reason="Hiring reviewed and in order.")
    grant_change(actor=admin, grant_id=other_grant.pk, action="revoke", reason="Repeated hiring breaches.")
    world["amendment"] = _amend_and_sign(world, world["contracts"][True])
    flag_escalate(actor=admin, flag_id=world["flags"][True].pk, note="No plan was received.")
    other_flag, other_contract = world["flags"][False], world["contracts"][False]
    InterventionFlag.objects.filter(pk=other_flag.pk).update(opened_at=LONG_AGO)
    FlagEvent.objects.filter(flag=other_flag).update(at=LONG_AGO)
    PerformanceContract.objects.filter(pk=other_contract.pk).update(countersigned_at=LONG_AGO)
    world["old"] = _long_ago_school(world)
    return world


def _range() -> dict:
    today = timezone.localdate()
    return {"since": (today - datetime.timedelta(days=30)).isoformat(), "until": today.isoformat()}


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def world(db):
    return pack_world()


@pytest.fixture
def pack(world):
    dates = _range()
    return board_pack_build(
        since=datetime.date.fromisoformat(dates["since"]), until=datetime.date.fromisoformat(dates["until"])
    )


def test_the_pack_lists_exactly_what_was_decided_and_changed_in_the_range(world, pack):
    own, other = world["own"].name, world["other"].name
    assert [(r.school, r.outcome, r.note) for r in pack.requests] == [
        (own, "Approved", "A strong plan for the school's budget."),
        (other, "Declined", "The plan lacks outcomes we can measure."),
    ]
    assert {(i.autonomy, i.decision, i.note) for i in pack.requests[0].items} == {
        ("Control the school budget", "Approved", "Budget freedom from July."),
        ("Choose curriculum", "Declined", "Not this year."),
    }
    changes = [(g.school, g.autonomy, g.from_status, g.to_status, g.reason) for g in pack.grant_changes]
    hiring = "Hire and dismiss staff"
    assert [c for c in changes if c[1] == hiring and c[2] != "—"] == [
        (own, hiring, "Active", "Suspended", "Hiring rules were not followed."),
        (own, hiring, "Suspended", "Active", "Hiring reviewed and in order."),
        (other, hiring, "Active", "Revoked", "Repeated hiring breaches."),
    ]
    issued = sorted((c[0], c[1]) for c in changes if c[2] == "—")
    assert issued == sorted([(own, hiring), (other, hiring), (own, "Control the school budget")])
    assert "Longago Academy" not in {g.school for g in pack.grant_changes} | {r.school for r in pack.requests}
    assert dict(pack.register) == {
        "Granted": 3,
        "Put at risk": 0,
        "Suspended": 1,
        "Revoked": 1,
        "Restored": 1,
        "Ended with their term": 0,
    }
    assert [(c.school, c.version, c.what) for c in pack.contracts_in_force] == [
        (own, 1, "New contract"),
        (own, 2, "Amendment in force (version 2)"),
    ]
    assert [(c.school, c.version, c.reason) for c in pack.amendments_started] == [
        (own, 2, "Adding the budget autonomy.")
    ]
    assert [f.school for f in pack.flags_opened] == [own]
    assert [(f.school, f.what) for f in pack.flags_raised] == [
        (own, "Raised to level 2, corrective action plan required. No plan was received.")
    ]


def test_a_range_before_anything_happened_holds_only_the_long_ago_records(world):
    pack = board_pack_build(since=datetime.date(2024, 2, 1), until=datetime.date(2024, 3, 31))
    assert [(r.school, r.note) for r in pack.requests] == [("Longago Academy", "Declined long ago.")]
    assert [(g.school, g.to_status, g.reason) for g in pack.grant_changes] == [
        ("Longago Academy", "Active", "Granted in a test."),
        ("Longago Academy", "Revoked", "Revoked long ago for cause."),
    ]
    assert [f.school for f in pack.flags_opened] == [world["other"].name]
    assert [c.school for c in pack.contracts_in_force] == [world["other"].name]
    assert pack.flags_raised == [] and pack.amendments_started == []


def test_the_pdf_opens_and_names_the_schools_autonomies_and_reasons(world, pack):
    text = _pdf_text(render_board_pack_pdf(pack))
    assert "Board decision pack" in text
    assert f"{pack.since:%B %-d, %Y} to {pack.until:%B %-d, %Y}" in text
    for expected in (
        world["own"].name,
        world["other"].name,
        "Hire and dismiss staff",
        "Control the school budget",
        "Hiring rules were not followed.",
        "Hiring reviewed and in order.",
        "Repeated hiring breaches.",
        "A strong plan for the school's budget.",
        "The plan lacks outcomes we can measure.",
        "Adding the budget autonomy.",
        "No plan was received.",
    ):
        assert expected in text, expected
    assert "Longago Academy" not in text and "Revoked long ago for cause." not in text


@pytest.fixture
def office(world, client_for):
    return client_for(world["users"][Role.ADMIN])


def test_the_page_shows_the_pack_and_links_to_its_pdf(world, office):
    dates = _range()
    response = office.get(reverse("reports:pack_board"), dates)
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        world["own"].name,
        world["other"].name,
        "Hiring rules were not followed.",
        "Repeated hiring breaches.",
        "The plan lacks outcomes we can measure.",
        "Adding the budget autonomy.",
        "No plan was received.",
    ):
        assert expected in page, expected
    assert "Longago Academy" not in page and "Declined long ago." not in page
    pdf_url = f"{reverse('reports:pack_board_pdf')}?{urlencode(dates)}".replace("&", "&amp;")
    assert pdf_url in page and "Download PDF" in page
    pdf = office.get(reverse("reports:pack_board_pdf"), dates)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert world["own"].name in _pdf_text(pdf.content)


def test_the_form_alone_shows_no_pack(office):
    response = office.get(reverse("reports:pack_board"))
    assert response.status_code == 200
    assert "Download PDF" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, NO_ROLE])
@pytest.mark.parametrize("name", ["reports:pack_board", "reports:pack_board_pdf"])
def test_anyone_but_the_autonomy_office_gets_404(world, client_for, role, name):
    response = client_for(world["users"][role]).get(reverse(name), _range())
    assert response.status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, db):
    response = client.get(reverse("reports:pack_board"), _range())
    assert response.status_code == 302 and "login" in response["Location"]


BAD_DATES = [
    ({"since": "2026-13-01", "until": "2026-12-01"}, "since", "Give the first day as YYYY-MM-DD."),
    ({"since": "", "until": "2026-12-01"}, "since", "Give the first day, as YYYY-MM-DD."),
    ({"since": "２０２６-01-01", "until": "2026-12-01"}, "since", "Give the first day as YYYY-MM-DD."),
    ({"since": "2026-01-01", "until": "2026-1-5"}, "until", "Give the last day as YYYY-MM-DD."),
    ({"since": "2026-01-01", "until": "not a date"}, "until", "Give the last day as YYYY-MM-DD."),
    ({"since": "2026-06-01", "until": "2026-05-31"}, "until", "The last day must be on or after the first day."),
    ({"since": "2024-01-01", "until": "2026-01-02"}, "until", "A pack covers at most two years"),
    ({"since": "2999-12-30", "until": "3000-01-01"}, "until", "Give a day between 1900 and 2999."),
    ({"since": "0001-01-01", "until": "0001-01-02"}, "since", "Give a day between 1900 and 2999."),
    ({"since": "1900-01-01", "until": "1900-01-02"}, None, None),  # the earliest day allowed: an empty pack
]


@pytest.mark.parametrize(("dates", "field", "message"), BAD_DATES)
@pytest.mark.parametrize("name", ["reports:pack_board", "reports:pack_board_pdf"])
def test_bad_dates_are_refused_naming_the_field(office, dates, field, message, name):
    response = office.get(reverse(name), dates)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message.replace("'", "&#x27;") in page
    assert 'aria-invalid="true"' in page


def test_two_years_to_the_day_is_accepted(office):
    response = office.get(reverse("reports:pack_board"), {"since": "2024-02-29", "until": "2026-02-28"})
    assert response.status_code == 200


# --- the page's queries do not grow with the events in the range ----------------------------------------


def _district(count: int) -> None:
    """`count` schools, each with a contract signed and in force, a request decided, a grant issued and
    suspended, and a flag opened and raised a level: five or more events of every kind per school."""
    admin = MembershipFactory(role=Role.ADMIN).user
    ela = Metric.objects.get(code="ela_proficiency")
    template = ContractTemplate.objects.create(name=f"Standard {count}")
    TemplateBenchmark.objects.create(
        template=template, key="ela", metric=ela, kind="value", comparator=">=", target_mode="fixed", target_value=50
    )
    TemplateRule.objects.create(
        template=template,
        key="one-missed",
        condition="n_missed",
        count=1,
        level=1,
        deadline_days=30,
        remedy="Submit an improvement plan.",
        provision="Section 5.1",
    )
    year = SchoolYearFactory(label="2026-27")
    call = CallFactory(created_by=admin, offers=["money.budget"])
    for n in range(count):
        school = SchoolFactory()
        principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
        request = complete_request(principal=principal, school=school, call=call, codes=("money.budget",), submit=True)
        request_decline(actor=admin, request_id=request.pk, note=f"Declined {n}.")
        hiring = grant(school, "people.hiring")
        grant_change(actor=admin, grant_id=hiring.pk, action="suspend", reason=f"Suspended {n}.")
        contract = contract_create_from_template(
            actor=admin, school=school, template=template, term_start=year, term_end=year
        )
        contract_propose(actor=admin, contract_id=contract.pk)
        contract_sign(actor=principal, contract_id=contract.pk, password=PASSWORD)
        contract_countersign(actor=admin, contract_id=contract.pk, password=PASSWORD)
        Observation.objects.create(school=school, metric=ela, period="2026-27", value=40)
    evaluation_run(as_of=datetime.date(2026, 11, 1))
    for flag in InterventionFlag.objects.all():
        flag_escalate(actor=admin, flag_id=flag.pk, note="No plan was received.")


def _page_queries(client, dates) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:pack_board"), dates)
    assert response.status_code == 200
    return len(queries)


PACK_PAGE_QUERIES = 8


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_costs_the_same_queries_for_1_school_as_for_20(db, client_for, django_assert_num_queries, count):
    _district(count)
    office = client_for(MembershipFactory(role=Role.ADMIN).user)
    dates = _range()
    office.get(reverse("reports:pack_board"), dates)  # the roles cached, as on every page after the first
    pack = board_pack_build(
        since=datetime.date.fromisoformat(dates["since"]), until=datetime.date.fromisoformat(dates["until"])
    )
    assert len(pack.requests) == count and len(pack.flags_raised) == count
    assert len(pack.grant_changes) == 2 * count and len(pack.contracts_in_force) == count
    with django_assert_num_queries(PACK_PAGE_QUERIES):
        response = office.get(reverse("reports:pack_board"), dates)
    assert response.status_code == 200
    assert response.content.decode().count("No plan was received.") == count
