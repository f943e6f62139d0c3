from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.health import broker_status, database_status
from core.models import Notification
from core.notifications import notification_mark_read, notifications_mark_all_read
from core.parsing import parse_id


@never_cache
@require_GET
def healthz(request):
    parts = {"database": database_status(), "broker": broker_status()}
    failing = [name for name, status in parts.items() if status.startswith("error")]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing, **parts}
    return JsonResponse(body, status=503 if failing else 200)


@login_required
def inbox(request, *, status=200):
    notifications = Notification.objects.filter(user=request.user)[:200]
    return render(request, "core/inbox.html", {"notifications": notifications}, status=status)


@login_required
@require_POST
def inbox_mark_read(request):
    """One notification read, or all of them when none is named; a name that is not an id changes nothing."""
    if "notification" not in request.POST:
        notifications_mark_all_read(user=request.user)
        return redirect("inbox")
    notification_id = parse_id(request.POST["notification"])
    if notification_id is None:
        messages.error(request, _("That is not a notification of yours; nothing was marked read."))
        return inbox(request, status=400)
    notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("inbox")
