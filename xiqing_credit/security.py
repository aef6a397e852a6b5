"""Response headers and client addresses for the security measures in docs/security.md."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself: Content-Security-Policy and
    Permissions-Policy. Django's SecurityMiddleware already sends HSTS, nosniff, Referrer-Policy
    and Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sends X-Frame-Options.

    The policy allows only this origin (all front-end libraries are vendored under static/), so
    an injected script or form cannot load code from, or send data to, another site.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client address for login throttling (django-axes).

    Behind a reverse proxy every request comes from the proxy's address, so one attacker would
    lock out everybody who shares it. With ``DJANGO_TRUSTED_PROXY_COUNT=N`` the address the
    N-th proxy from the end saw is used; entries further left are client-controlled and ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    return hops[-count]
