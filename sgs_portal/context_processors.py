"""What the base layout needs on every page: the navigation for the user's roles, unread count."""

from accountability.policies import can_run_evaluation, can_view_flags
from budgeting.policies import is_finance
from contracts.commitment_policies import can_see_commitment_list
from core.notifications import unread_count
from metrics.policies import can_import_observations
from schools.models import Role
from schools.policies import roles_of


def navigation(request):
    """The top row (`nav_links`) holds what every role uses; the autonomy office's own tools go in one
    menu (`nav_tools`), so that the row fits 1280 px for every role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    links = [("home", "Home")]
    links.append(("autonomy:request_list", "Requests"))
    if roles.functions or roles.is_admin:
        links.append(("autonomy:review_queue", "Review queue"))
    links.append(("autonomy:grants_matrix", "Decision rights"))
    links.append(("contracts:contract_list", "Contracts"))
    if can_view_flags(user):
        links.append(("accountability:flag_list", "Flags"))
    links.append(("budgeting:budget_home", "Budget"))
    links.append(("support:home", "Support"))
    links.append(("autonomy:call_list", "Calls"))
    # The catalog links the clarified flexibilities: what every school may already do, without a grant.
    links.append(("autonomy:catalog", "Catalog"))
    tools = []
    if can_run_evaluation(user):
        tools.append(("accountability:evaluation_runs", "Evaluation"))
    if can_import_observations(user):
        tools.append(("metrics:observation_import", "Import data"))
    if is_finance(user):
        tools += [
            ("budgeting:formula_list", "Funding formula"),
            ("budgeting:enrollment_snapshots", "Enrollment"),
            ("budgeting:allocation_set_list", "Allocations"),
            ("budgeting:scenario_list", "What-if scenarios"),
            ("budgeting:plan_queue", "Budget plans to review"),
        ]
    if can_see_commitment_list(user):
        tools.append(("contracts:commitment_list", "Commitments of my department"))
    if roles.is_admin:
        tools.append(("schools:roster_import", "Import the roster"))
        tools.append(("schools:first_setup", "First setup"))
        tools.append(("reports:pack_board", "Board pack"))
        tools.append(("reports:dossier", "Auditor dossier"))
    return {
        "nav_links": links,
        "nav_tools": tools,
        "nav_is_admin": roles.is_admin,
        "nav_is_school": bool(roles.school_ids) and not roles.is_central_office,
        "nav_is_liaison": Role.LIAISON in roles.district,
        "unread_count": unread_count(user),
    }
