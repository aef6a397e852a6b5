import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.roles import is_admin, is_inspector, is_supervisor
from planning.views.my_day import decisions, my_day

logger = logging.getLogger(__name__)

# Served when even the error template cannot be rendered: plain HTML, both languages.
FALLBACK_500 = (
    "<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'>"
    "<title>500</title></head><body><h1>系统出错 / Server error</h1>"
    "<p>请稍后再试。/ Please try again later.</p></body></html>"
)


def home(request: HttpRequest) -> HttpResponse:
    """Each role starts from its own page: a supervisor from what awaits their decision, an
    inspector from their day (phone first), an admin from the administration pages; anyone
    else from the employer registry (which answers them as it answers everyone)."""
    if is_supervisor(request.user):
        return decisions(request)
    if is_inspector(request.user):
        return my_day(request)
    if is_admin(request.user):
        return redirect("employers:staff_home")
    return redirect("employers:list")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: renders 500.html without any request context.

    The error may come from the database itself, so nothing here may query it: no context
    processors (navigation reads the user's groups), no session, no user. 500.html is
    self-contained and does not extend base.html, whose blocks other apps extend with queries.
    """
    try:
        body = loader.get_template("500.html").render({"title": _("Server error")})
    except Exception:
        logger.exception("500.html could not be rendered")
        body = FALLBACK_500
    return HttpResponseServerError(body)


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the container health check and monitoring: the process answers and the
    database accepts a query. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
