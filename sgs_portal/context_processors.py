"""What the base layout needs on every page: the navigation for the user's roles, unread count.

Both are lazy: a template that does not print them (an htmx partial) costs nothing here. The navigation's
markup is kept per set of links (core.navigation); the unread count, the person's name and the current
page are put in outside what is kept. The links are decided here on every request, from the roles.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from accountability.policies import can_run_evaluation, can_view_flags
from budgeting.policies import is_finance
from contracts.commitment_policies import can_see_commitment_list
from core.navigation import nav_html_lazy
from core.notifications import unread_count
from metrics.policies import can_import_observations
from schools.policies import roles_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_html": nav_html_lazy(lambda: navigation_links(user), request.path),
        "unread_count": SimpleLazyObject(lambda: unread_count(user)),
    }


def navigation_links(user) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The top row (`links`) holds what every role uses; the autonomy office's own tools go in one
    menu (`tools`), so that the row fits 1280 px for every role. (URL name, label) each; the labels are
    lazy translations, read in the page's language when the markup is made (core.navigation)."""
    roles = roles_of(user)
    links = [("home", _("Home"))]
    links.append(("autonomy:request_list", _("Requests")))
    reviews = bool(roles.functions or roles.is_admin)
    if reviews:
        links.append(("autonomy:review_queue", _("Review queue")))
    links.append(("autonomy:grants_matrix", _("Decision rights")))
    links.append(("contracts:contract_list", _("Contracts")))
    if can_view_flags(user):
        links.append(("accountability:flag_list", _("Flags")))
    links.append(("budgeting:budget_home", _("Budget")))
    links.append(("support:home", _("Support")))
    # Schools answer calls and read the catalog (which links the clarified flexibilities: what every school
    # may already do, without a grant); those who review requests, and the office, which opens the calls,
    # find both among their tools, so that the row, which holds their review queue, still fits 1280 px.
    if not reviews:
        links.append(("autonomy:call_list", _("Calls")))
        links.append(("autonomy:catalog", _("Catalog")))
    tools = []
    if can_run_evaluation(user):
        tools.append(("accountability:evaluation_runs", _("Evaluation")))
    if can_import_observations(user):
        tools.append(("metrics:observation_import", _("Import data")))
    if is_finance(user):
        tools += [
            ("budgeting:formula_list", _("Funding formula")),
            ("budgeting:enrollment_snapshots", _("Enrollment")),
            ("budgeting:allocation_set_list", _("Allocations")),
            ("budgeting:scenario_list", _("What-if scenarios")),
            ("budgeting:plan_queue", _("Budget plans to review")),
        ]
    if can_see_commitment_list(user):
        tools.append(("contracts:commitment_list", _("Commitments of my department")))
    if roles.is_admin:
        tools.append(("schools:roster_import", _("Import the roster")))
        tools.append(("schools:first_setup", _("First setup")))
        tools.append(("reports:pack_board", _("Board pack")))
        tools.append(("reports:dossier", _("Auditor dossier")))
    if reviews:
        tools += [("autonomy:call_list", _("Calls for proposals")), ("autonomy:catalog", _("Autonomy catalog"))]
    return links, tools
