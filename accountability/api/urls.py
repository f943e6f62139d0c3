from accountability.api.schools import SchoolViewSet

routes = [
    ("schools", SchoolViewSet, "school"),
]
