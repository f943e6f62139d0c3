"""Who may do what with metrics and observations. Views, the API and services all ask here."""

from django.contrib.auth.models import AbstractBaseUser

from core.policies import ALLOW, Decision, deny
from schools.policies import roles_of


def can_import_observations(user: AbstractBaseUser) -> Decision:
    """Loading the district's data replaces values every school is measured on: the autonomy office."""
    return ALLOW if roles_of(user).is_admin else deny("Only the autonomy office imports observations.")
