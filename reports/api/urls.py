from reports.api.public import PublicRegisterViewSet, PublicResultsViewSet, PublicServiceScoresViewSet

routes = [
    ("public/register", PublicRegisterViewSet, "public-register"),
    ("public/results", PublicResultsViewSet, "public-results"),
    ("public/service-scores", PublicServiceScoresViewSet, "public-service-scores"),
]
