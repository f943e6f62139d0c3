"""Every id an input is described or labelled by is on the page: the form pages as each role draws them,
and again with the errors of a form posted empty.

Django (5.2) points an input at its help under `<auto_id>_helptext` and at its errors under
`<auto_id>_error`; templates/partials/field.html, the choice fieldsets and the hand-written fieldsets draw
them under those ids. A reference to an id the page lacks is silence for a screen reader (axe reports it
only as "incomplete"), so this walks the pages the authorization matrix lists rather than trusting axe.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from autonomy.models import RequestStatus
from tests.autonomy.factories import complete_request
from tests.test_authorization_matrix import PAGES
from tests.world import NO_ROLE, build_world

P, T, L, R, V, A = "principal", "school_team", "liaison", "reviewer", "viewer", "admin"
REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for")
WIZARD_STEPS = ("autonomies", "reasons", "plan", "outcomes", "review")


class References(HTMLParser):
    """The ids on a page and the ids its attributes point at."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.pointers: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            elif name in REFERENCES and value:
                self.pointers += [(tag, name, target) for target in value.split()]


def broken_references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    ids = set(parser.ids)
    broken = [
        f'<{tag} {name}="…{target}…"> points at nothing' for tag, name, target in parser.pointers if target not in ids
    ]
    duplicated = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
    return broken + [f'id="{i}" is on the page twice' for i in duplicated]


@pytest.fixture
def world(db):
    world = build_world()
    # A draft at the own school, for the request form's steps (the world's requests are submitted).
    world["draft"] = complete_request(
        principal=world["users"][P], school=world["own"], call=world["fresh_call"], submit=False
    )
    assert world["draft"].status == RequestStatus.DRAFT
    return world


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _pages_open_to(role):
    """The GET pages of the matrix this role opens (own school's object), by the matrix's own expectations."""
    for name, page in sorted(PAGES.items()):
        if page.method == "get" and page.expect(role, True) == 200:
            yield name, page


@pytest.mark.parametrize("role", ["anonymous", NO_ROLE, P, T, L, R, V, A])
def test_every_page_a_role_opens_points_only_at_ids_it_has(world, role):
    client, problems = _client(world, role), {}
    for name, page in _pages_open_to(role):
        url = reverse(name, kwargs=page.kwargs(world, True) if page.kwargs else None)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if broken := broken_references(response.content.decode()):
                problems[url] = broken
    assert not problems, problems


# Forms posted with nothing filled in, as the role whose form it is: the page comes back with the errors.
def _empty_posts(world):
    own_request, draft, flag = world["requests"][True], world["draft"], world["flags"][True]
    yield P, reverse("accounts:profile"), {}
    yield A, reverse("autonomy:call_create"), {}
    yield A, reverse("contracts:contract_new"), {}
    yield A, reverse("metrics:observation_import"), {}
    yield A, reverse("autonomy:grants_issue_scope"), {}
    yield A, reverse("autonomy:grant_change", kwargs={"pk": world["grants"][True].pk}), {}
    yield A, reverse("autonomy:request_decide", kwargs={"pk": own_request.pk}), {}
    yield A, reverse("accountability:evaluation_runs"), {}
    yield R, reverse("autonomy:request_comment", kwargs={"pk": own_request.pk}), {}
    item = own_request.items.get(autonomy__code="money.budget")
    yield R, reverse("autonomy:request_item_clarify", kwargs={"pk": own_request.pk, "item_pk": item.pk}), {}
    yield L, reverse("accountability:flag_action", kwargs={"pk": flag.pk, "action": "acknowledge"}), {}
    yield P, reverse("accountability:flag_action", kwargs={"pk": flag.pk, "action": "submit_plan"}), {}
    for step in ("autonomies", "outcomes"):  # the other steps save what is written so far, even nothing
        yield P, reverse("autonomy:request_edit", kwargs={"pk": draft.pk, "step": step}), {}


def test_forms_posted_empty_point_only_at_ids_they_have(world):
    problems = {}
    for role, url, data in _empty_posts(world):
        response = _client(world, role).post(url, data)
        assert response.status_code == 400, (role, url, response.status_code)
        html = response.content.decode()
        if broken := broken_references(html):
            problems[f"POST {url} as {role}"] = broken
    assert not problems, problems


def test_the_request_forms_steps_point_only_at_ids_they_have(world):
    client, problems = _client(world, P), {}
    for step in WIZARD_STEPS:
        url = reverse("autonomy:request_edit", kwargs={"pk": world["draft"].pk, "step": step})
        response = client.get(url)
        assert response.status_code == 200, url
        if broken := broken_references(response.content.decode()):
            problems[url] = broken
    assert not problems, problems


def test_help_and_error_are_described_under_djangos_ids(world):
    """The token form (a plain Django form) and the import form (AccessibleFormMixin) alike."""
    response = _client(world, P).post(reverse("accounts:profile"), {"name": ""})
    html = response.content.decode()
    assert 'aria-describedby="id_name_helptext id_name_error"' in html and 'aria-invalid="true"' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html
    response = _client(world, A).get(reverse("metrics:observation_import"))
    html = response.content.decode()
    assert 'aria-describedby="id_file_helptext"' in html and 'id="id_file_helptext"' in html
