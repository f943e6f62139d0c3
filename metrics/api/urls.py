from metrics.api.catalog import MetricViewSet

routes = [
    ("metrics", MetricViewSet, "metric"),
]
