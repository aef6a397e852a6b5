"""Uploaded files served back by a view (never by the web server directly)."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def stored_file_response(
    field: FieldFile, *, content_type: str, filename: str, csp: str, as_attachment: bool = False
) -> FileResponse:
    """The file stored in ``field`` streamed back as ``filename``; 404 when it is gone. The type
    was checked on upload: the browser is told never to guess another one, and ``csp`` (the
    Content-Security-Policy) keeps an opened file from loading or running anything else."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = csp
    return response
