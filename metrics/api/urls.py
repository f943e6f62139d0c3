from metrics.api.catalog import MetricViewSet
from metrics.api.observations import ObservationViewSet

routes = [
    ("metrics", MetricViewSet, "metric"),
    ("observations", ObservationViewSet, "observation"),
]
