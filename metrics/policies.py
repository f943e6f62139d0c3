"""Who may do what with metrics and observations. Views, the API and services all ask here."""

from django.contrib.auth.models import AbstractBaseUser

from core.policies import Decision
from schools.policies import autonomy_office


def can_import_observations(user: AbstractBaseUser) -> Decision:
    """Loading the district's data replaces values every school is measured on: the autonomy office."""
    return autonomy_office(user, "Only the autonomy office imports observations.")
