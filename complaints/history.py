"""The change history of a complaint as users read it, with the identity masked when needed.

simple-history keeps every version of the row, complainant fields included; this is the only
place that turns those versions into something shown, so the masking cannot be forgotten."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import masking
from .models import Complaint, DeadlineExtension

IDENTITY_MASKS = {
    "complainant_name": masking.mask_name,
    "complainant_id_number": masking.mask_id_number,
    "complainant_phone": masking.mask_phone,
    "complainant_address": masking.mask_address,
}
# Bookkeeping fields nobody needs to read in a history.
HIDDEN_FIELDS = {"updated_at", "created_at", "due_estimated"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)
    touches_identity: bool = False


def _display(model: type, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _user_name(record: Any) -> str:
    user = record.history_user
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _entries_for(
    records: list, model: type, complaint: Complaint, masked: bool, prefix: str
) -> list[Entry]:
    entries = []
    actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    previous = None
    for record in records:
        entry = Entry(
            when=record.history_date,
            who=_user_name(record),
            action=f"{prefix}{actions.get(record.history_type, record.history_type)}",
        )
        if previous is not None:
            delta = record.diff_against(previous)
            changes = delta.changes
        else:
            changes = []
        for change in changes:
            name = change.field
            if name in HIDDEN_FIELDS:
                continue
            model_field = model._meta.get_field(name)
            old = _display(model, name, change.old)
            new = _display(model, name, change.new)
            if name in IDENTITY_MASKS or name == "description":
                entry.touches_identity = True
                if masked:
                    old, new = (
                        _mask_value(name, change.old, complaint),
                        _mask_value(name, change.new, complaint),
                    )
            entry.changes.append(Change(label=str(model_field.verbose_name), old=old, new=new))
        if previous is None and model is Complaint and not record.anonymous:
            # The first version carries the identity as entered; it is shown only as a
            # "created" line, so nothing leaks, but an unmasked history still counts as seen.
            entry.touches_identity = True
        entries.append(entry)
        previous = record
    return entries


def _mask_value(name: str, value: Any, complaint: Complaint) -> str:
    if value in (None, ""):
        return "—"
    if name == "description":
        return masking.redact_text(
            str(value),
            name=complaint.complainant_name,
            id_number=complaint.complainant_id_number,
            phone=complaint.complainant_phone,
            address=complaint.complainant_address,
        )
    return IDENTITY_MASKS[name](str(value))


def history_entries(complaint: Complaint, *, masked: bool) -> list[Entry]:
    """Newest first: the complaint's own versions and its extension requests'."""
    records = list(
        complaint.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = _entries_for(records, Complaint, complaint, masked, prefix="")
    for extension in complaint.extensions.all():
        ext_records = list(
            extension.history.select_related("history_user").order_by("history_date", "history_id")
        )
        entries += _entries_for(
            ext_records, DeadlineExtension, complaint, masked, prefix=_("Extension request: ")
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
