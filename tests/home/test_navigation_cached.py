"""The navigation kept per set of links (core.navigation) is, for every role and on every page it links,
exactly what the template rendered before it was kept: the same links, in the same order, the current page
marked, and nobody's name in it."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.navigation import nav_cache_info, nav_html
from schools.models import Role
from sgs_portal.context_processors import navigation_links
from support.models import DepartmentStaff
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# base.html's navigation as it was before the cache: every link reversed and compared in the template.
LINK = (
    '{% url name as link %}<li><a href="{{ link }}"'
    '{% if request.path == link %} aria-current="page"{% endif %}>{{ label }}</a></li>'
)
UNCACHED = Template(
    f"""<nav aria-label="Main">
            <ul class="nav-list">
              {{% for name, label in nav_links %}}
              {LINK}
              {{% endfor %}}
              {{% if nav_tools %}}
              <li class="nav-tools">
                <details class="nav-menu">
                  <summary><span class="visually-hidden">Office </span>Tools</summary>
                  <ul class="nav-menu-list">
                    {{% for name, label in nav_tools %}}
                    {LINK}
                    {{% endfor %}}
                  </ul>
                </details>
              </li>
              {{% endif %}}
            </ul>
          </nav>"""
)

ROLES = [
    ("principal", Role.PRINCIPAL, ""),
    ("school team", Role.SCHOOL_TEAM, ""),
    ("liaison", Role.LIAISON, ""),
    ("finance reviewer", Role.REVIEWER, "finance"),
    ("hr reviewer", Role.REVIEWER, "hr"),
    ("academics reviewer", Role.REVIEWER, "academics"),
    ("operations reviewer", Role.REVIEWER, "operations"),
    ("admin", Role.ADMIN, ""),
    ("viewer", Role.VIEWER, ""),
    ("superuser", None, ""),
    ("no role", "", ""),
    ("finance department's staff", Role.REVIEWER, "department:finance"),
]


def _user(role, function, school):
    if role is None:
        return UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory()
    department = function.removeprefix("department:") if function.startswith("department:") else ""
    if department:  # a reviewer who also answers for a department (support's commitments link)
        DepartmentStaff.objects.create(user=user, department=department)
        function = department
    if role:
        at = school if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) else None
        MembershipFactory(user=user, role=role, school=at, function=function)
    return user


@pytest.mark.parametrize(("who", "role", "function"), ROLES, ids=[row[0] for row in ROLES])
def test_the_cached_navigation_is_the_uncached_one_on_every_page_it_links(who, role, function, school):
    links, tools = navigation_links(_user(role, function, school))
    paths = [reverse(name) for name, _ in links + tools] + ["/nowhere/"]
    nav_html(links, tools, "/")  # kept from now on (or already, by an earlier test with the same links)
    for path in paths:
        expected = UNCACHED.render(
            Context({"nav_links": links, "nav_tools": tools, "request": RequestFactory().get(path)})
        )
        hits = nav_cache_info().hits
        assert nav_html(links, tools, path) == expected
        assert nav_cache_info().hits == hits + 1  # every page after the first: the kept markup
        marked = expected.count('aria-current="page"')
        assert marked == (0 if path == "/nowhere/" else 1)


def test_each_set_of_links_is_kept_once_and_a_new_link_is_a_new_entry():
    links = [("home", "Home"), ("autonomy:catalog", "Catalog")]
    before = nav_cache_info()
    first = nav_html(links, [], "/")
    with_support = nav_html([*links, ("support:home", "Support")], [], "/")
    relabelled = nav_html([("home", "Start"), ("autonomy:catalog", "Catalog")], [], "/")
    assert "Support" in with_support and "Support" not in first and ">Start<" in relabelled
    nav_html(list(links), [], "/elsewhere/")
    after = nav_cache_info()
    assert after.hits - before.hits >= 1 and after.currsize >= 3


def test_the_page_shows_the_cached_navigation_with_the_persons_own_name_and_count(make_member, client_for):
    first = make_member(Role.LIAISON, first_name="Ada", last_name="Lovelace")
    second = make_member(Role.LIAISON, first_name="Grace", last_name="Hopper")
    page_one = client_for(first).get(reverse("inbox")).content.decode()
    page_two = client_for(second).get(reverse("inbox")).content.decode()
    assert "Ada Lovelace" in page_one and "Ada Lovelace" not in page_two
    assert "Grace Hopper" in page_two
    nav = page_one.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert nav == page_two.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("inbox")}" aria-current' not in nav  # the inbox is outside the links
