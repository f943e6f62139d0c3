from reports.api.public import PublicRegisterViewSet, PublicResultsViewSet

routes = [
    ("public/register", PublicRegisterViewSet, "public-register"),
    ("public/results", PublicResultsViewSet, "public-results"),
]
