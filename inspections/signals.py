"""Signals the inspections app sends for bulk work that bypasses per-row model signals.

The inspections app must not import ratings; ratings subscribes to these in ratings/signals.py.
"""

from django.dispatch import Signal

# Sent after bulk case writes commit (case-ledger import, queryset.update()), with
# ``employer_ids``: the employers whose cases changed.
cases_changed_in_bulk = Signal()
