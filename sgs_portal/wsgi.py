import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sgs_portal.settings")
application = get_wsgi_application()

# The outcomes page's estimates need a library that takes seconds to import: each web process loads it in
# the background as it starts, beside its first requests, rather than inside the first outcomes request.
from impact.services.event_study import estimation_library_load  # noqa: E402  (after the apps are ready)

threading.Thread(target=estimation_library_load, name="estimation-library-load", daemon=True).start()
