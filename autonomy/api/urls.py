from autonomy.api.autonomies import AutonomyViewSet
from autonomy.api.calls import CallViewSet
from autonomy.api.grants import GrantViewSet
from autonomy.api.requests import RequestViewSet

routes = [
    ("autonomies", AutonomyViewSet, "autonomy"),
    ("calls", CallViewSet, "call"),
    ("requests", RequestViewSet, "request"),
    ("grants", GrantViewSet, "grant"),
]
