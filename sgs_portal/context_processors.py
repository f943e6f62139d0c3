"""What the base layout needs on every page: the navigation for the user's roles, unread count."""

from accountability.policies import can_run_evaluation, can_view_flags
from core.notifications import unread_count
from metrics.policies import can_import_observations
from schools.models import Role
from schools.policies import roles_of


def navigation(request):
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
    if can_run_evaluation(user):
        links.append(("accountability:evaluation_runs", "Evaluation"))
    if can_import_observations(user):
        links.append(("metrics:observation_import", "Import data"))
    links.append(("autonomy:call_list", "Calls"))
    links.append(("autonomy:flexibility_list", "Clarified flexibilities"))
    return {
        "nav_links": links,
        "nav_is_admin": roles.is_admin,
        "nav_is_school": bool(roles.school_ids) and not roles.is_central_office,
        "nav_is_liaison": Role.LIAISON in roles.district,
        "unread_count": unread_count(user),
    }
