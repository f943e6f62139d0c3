"""Support's resources on the API's router (sgs_portal/api.py): (prefix, viewset, basename)."""

routes = []
