"""The rating procedure's steps as the tests take them: a notice served, an objection filed
and decided."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from ratings.models import Notice, Objection
from ratings.procedure.services import notice_record_service, objection_decide, objection_record

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def serve(
    notice: Notice,
    user,
    *,
    served_on: datetime.date,
    method: str = "in_person",
    receipt: bytes | UploadedFile | None = PNG,
) -> Notice:
    """Records the notice served by ``user``, with a receipt (bytes: a receipt.png of them)."""
    if isinstance(receipt, bytes):
        receipt = SimpleUploadedFile("receipt.png", receipt)
    return notice_record_service(
        notice=notice, method=method, served_on=served_on, receipt=receipt, note="", user=user
    )


def objection_filed(
    notice: Notice, reviewer, *, received_on: datetime.date, user=None, **fields
) -> Objection:
    """An objection against the notice, recorded by ``user`` (the reviewer unless given); by
    post, on the facts, unless ``fields`` say otherwise."""
    fields = {"channel": "post", "ground": "facts", "text": "事实有误"} | fields
    return objection_record(
        notice=notice, reviewer=reviewer, received_on=received_on, user=user or reviewer, **fields
    )


def objection_decided(
    objection: Objection, user, *, decided_on: datetime.date, **fields
) -> Objection:
    """The decision on the objection, taken by ``user``: rejected on the evidence unless
    ``fields`` say otherwise."""
    fields = {"outcome": "rejected", "reasons": "证据确凿"} | fields
    return objection_decide(objection=objection, user=user, decided_on=decided_on, **fields)
