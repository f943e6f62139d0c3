from accountability.api.flags import FlagViewSet
from accountability.api.runs import EvaluationRunViewSet
from accountability.api.schools import SchoolViewSet

routes = [
    ("schools", SchoolViewSet, "school"),
    ("evaluation-runs", EvaluationRunViewSet, "evaluation-run"),
    ("flags", FlagViewSet, "flag"),
]
