"""Checks on uploaded evidence files: the type by content as well as by name, and the size."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Photos from phones are a few MB; scanned decisions as PDF rarely pass 10 MB.
EVIDENCE_MAX_BYTES = int(getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))

# extension -> (content type, magic bytes the file must start with)
_KINDS = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".pdf": ("application/pdf", b"%PDF-"),
}

ALLOWED_DESCRIPTION = "JPG, PNG, PDF"


def check_evidence_upload(upload: UploadedFile) -> str:
    """Return the file's content type, or raise ``ValidationError`` saying what is allowed.

    The name's extension and the first bytes must agree: a renamed executable or an HTML
    page called photo.jpg is refused."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in _KINDS:
        raise ValidationError(
            _("%(name)s: only %(allowed)s files can be attached.")
            % {"name": name, "allowed": ALLOWED_DESCRIPTION}
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; a file may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(EVIDENCE_MAX_BYTES),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    content_type, magic = _KINDS[suffix]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            _("%(name)s is not really a %(kind)s file; only %(allowed)s files can be attached.")
            % {"name": name, "kind": suffix.lstrip(".").upper(), "allowed": ALLOWED_DESCRIPTION}
        )
    return content_type
