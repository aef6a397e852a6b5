"""1. Roster import of a generated 100,000-row .xlsx, and django-import-export on the same rows."""

from collections.abc import Callable

from .measures import Bench
from .metrics import Measurement


def measure_import_roster(bench: Bench) -> Measurement:
    m = Measurement("import_roster", "1. roster import of a 100,000-row .xlsx")
    return m.missing("bench/import_roster.py (roster import benchmark) not landed")


def measure_import_iex(bench: Bench) -> Measurement:
    m = Measurement("import_iex", "1b. django-import-export on the same rows")
    return m.missing("needs the roster file of bench/import_roster.py")


IMPORT_MEASURES: dict[str, Callable[[Bench], Measurement]] = {
    "import_roster": measure_import_roster,
    "import_iex": measure_import_iex,
}
