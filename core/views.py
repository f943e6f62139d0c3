from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import broker_status, database_status


@never_cache
@require_GET
def healthz(request):
    parts = {"database": database_status(), "broker": broker_status()}
    failing = [name for name, status in parts.items() if status.startswith("error")]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing, **parts}
    return JsonResponse(body, status=503 if failing else 200)
