"""Writes of the partner exchange: keys and the access log."""

from django.http import HttpRequest

from .models import PartnerAccess, PartnerKey


def partner_key_create(*, name: str) -> tuple[PartnerKey, str]:
    """A new key for a partner department; the plain key is returned once and never stored."""
    # AbstractAPIKey.name is limited to 50 characters; the full name stays in ``partner``.
    key, plain = PartnerKey.objects.create_key(name=name[:50], partner=name)
    return key, plain


def partner_key_revoke(*, key: PartnerKey) -> bool:
    """Revoke a key for good; False when it was already revoked."""
    if key.revoked:
        return False
    key.revoked = True
    key.save(update_fields=["revoked"])
    return True


def partner_access_log(
    *, request: HttpRequest, key: PartnerKey | None, status_code: int, rows: int
) -> PartnerAccess:
    """One row per API request, denied ones included (``key`` is None when no valid key)."""
    return PartnerAccess.objects.create(
        key=key,
        path=request.path[:300],
        query=request.META.get("QUERY_STRING", "")[:500],
        status_code=status_code,
        rows=rows,
        # The proxy in front sets REMOTE_ADDR correctly; X-Forwarded-For can be forged.
        remote_addr=request.META.get("REMOTE_ADDR") or None,
    )
