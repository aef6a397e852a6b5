"""Signals the employer registry sends for bulk work that bypasses per-row model signals."""

from django.dispatch import Signal

# Sent after a roster import commits (inside on_commit), with ``employer_ids``: the ids of the
# employers it created or updated. Apps above (ratings) rerate them in bulk.
employers_imported = Signal()
