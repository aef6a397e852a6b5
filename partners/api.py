"""联合惩戒: the read-only ratings API for partner departments.

``GET /api/v1/ratings/?level=C`` with ``Authorization: Api-Key <key>``. Keys are
``PartnerKey`` rows (stored hashed); there is no session or password login here, and the login
middleware is bypassed for this view only. Every request, denied or not, leaves a
``PartnerAccess`` row.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.permissions import BaseHasAPIKey

from ratings.models import Level, Rating

from .models import PartnerKey
from .selectors import c_list
from .services import partner_access_log


class HasPartnerKey(BaseHasAPIKey):
    """A valid, unrevoked, unexpired partner key; the key row is kept on the request.

    Unlike ``BaseHasAPIKey.has_permission`` this tells a revoked or expired key (403) from a
    missing or unknown one (401), so the partner knows to ask the bureau for a new key."""

    model = PartnerKey

    def has_permission(self, request: Request, view: Any) -> bool:
        request.partner_key = None
        view.denial = None
        raw = self.get_key(request)
        if not raw:
            view.denial = "key_missing"
            return False
        prefix, _dot, _secret = raw.partition(".")
        key = PartnerKey.objects.filter(prefix=prefix).first()
        if key is None or not key.is_valid(raw):
            view.denial = "key_invalid"
            return False
        if key.revoked or key.has_expired:
            view.denial = "key_revoked"
            view.denied_key = key
            return False
        request.partner_key = key
        return True


class PartnerKeyThrottle(SimpleRateThrottle):
    """Requests per key; the rate comes from ``PARTNER_API_THROTTLE_RATE`` (default 600/hour)."""

    scope = "partner"

    def get_rate(self) -> str:
        return getattr(settings, "PARTNER_API_THROTTLE_RATE", "600/hour")

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = getattr(request, "partner_key", None)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}


class PartnerPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class PartnerRatingSerializer(serializers.ModelSerializer):
    """Public fields only: nothing about people, phones, addresses or cases."""

    credit_code = serializers.CharField(source="employer.credit_code")
    name = serializers.CharField(source="employer.name")
    unit = serializers.CharField(source="employer.unit.name")
    unit_code = serializers.CharField(source="employer.unit.code")
    clauses = serializers.SerializerMethodField()
    # The day the C listing became final (notice served, objection period passed or the
    # objection decided); null for A and B, which are not listings.
    final_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Rating
        fields = [
            "credit_code",
            "name",
            "unit",
            "unit_code",
            "level",
            "clauses",
            "since",
            "final_on",
        ]

    def get_clauses(self, rating: Rating) -> list[str]:
        return [code for code in rating.clause_codes.split(";") if code]


class PartnerRatingList(ListAPIView):
    """Ratings of one level (``level`` A, B or C; C when not given), paginated. C ratings
    only once their listing is final."""

    authentication_classes: list = []
    permission_classes = [HasPartnerKey]
    throttle_classes = [PartnerKeyThrottle]
    pagination_class = PartnerPagination
    serializer_class = PartnerRatingSerializer
    # set by HasPartnerKey when it refuses a request
    denial: str | None = None
    denied_key: PartnerKey | None = None

    def get_level(self) -> str:
        level = self.request.query_params.get("level", Level.C).strip().upper()
        if level not in Level.values:
            raise exceptions.ValidationError(
                {
                    "detail": _("level must be one of A, B, C."),
                    "code": "invalid_level",
                }
            )
        return level

    def get_queryset(self):
        return c_list(level=self.get_level())

    def get_authenticate_header(self, request: Request) -> str:
        # A 401 tells the client which scheme to use.
        return "Api-Key"

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        if self.denial == "key_revoked":
            raise exceptions.PermissionDenied(
                {"detail": _("This API key has been revoked or has expired."), "code": self.denial}
            )
        detail = (
            _("Send the header Authorization: Api-Key <key>.")
            if self.denial == "key_missing"
            else _("This API key is not valid.")
        )
        raise exceptions.NotAuthenticated({"detail": detail, "code": self.denial})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        rows = 0
        if response.status_code == 200 and isinstance(response.data, dict):
            rows = len(response.data.get("results", []))
        key = getattr(request, "partner_key", None) or getattr(self, "denied_key", None)
        partner_access_log(request=request, key=key, status_code=response.status_code, rows=rows)
        return response
