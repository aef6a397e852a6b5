"""The replay (dry run) of a rule set over the whole registry: who would change, writing nothing.

Per chunk of employers: one query for the employers, one for their ratings, one for their cases
and one for their granted repairs; memory holds only the employers that would change.
"""

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn, SheetExport, write_xlsx
from employers.models import Employer
from inspections.models import Case

from .. import rules
from ..facts import case_facts_by_employer
from ..models import Rating
from .facts import repairs_by_employer

CHUNK_SIZE = 5000
TRANSITIONS = ("A->B", "A->C", "B->A", "B->C", "C->A", "C->B")


@dataclass(frozen=True)
class ReplayChange:
    """One employer whose rating the replayed rule set would change."""

    employer_id: int
    credit_code: str
    name: str
    old_level: str
    old_clauses: str
    new_level: str
    new_clauses: str

    @property
    def transition(self) -> str:
        return f"{self.old_level}->{self.new_level}"


@dataclass
class ReplaySummary:
    ruleset_id: str
    employers: int = 0
    changes: list[ReplayChange] = field(default_factory=list)

    @property
    def transitions(self) -> Counter:
        return Counter(c.transition for c in self.changes if c.old_level != c.new_level)

    @property
    def line(self) -> str:
        counts = self.transitions
        parts = " ".join(f"{name}={counts.get(name, 0)}" for name in TRANSITIONS)
        return (
            f"replay rules={self.ruleset_id} employers={self.employers} "
            f"changed={len(self.changes)} {parts}"
        )


def _employer_chunks(chunk_size: int) -> Iterator[list[tuple[int, str, str]]]:
    last_id = 0
    while True:
        chunk = list(
            Employer.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "credit_code", "name")[:chunk_size]
        )
        if not chunk:
            return
        yield chunk
        last_id = chunk[-1][0]


def ratings_replay(
    *, ruleset_id: str, today: datetime.date | None = None, chunk_size: int = CHUNK_SIZE
) -> ReplaySummary:
    """Every employer rated under ``ruleset_id`` on ``today``, compared with its stored rating
    (level and clauses); an employer without a rating compares as A. Writes nothing.
    Raises ``rules.UnknownRuleSet`` for an id no rule set has."""
    ruleset = rules.ruleset_get(ruleset_id)
    today = today or timezone.localdate()
    window = settings.RATING_WINDOW_MONTHS
    summary = ReplaySummary(ruleset_id=ruleset.id)
    for chunk in _employer_chunks(chunk_size):
        low, high = chunk[0][0], chunk[-1][0]
        span = {"employer_id__gte": low, "employer_id__lte": high}
        stored = dict(
            (pk, (level, codes))
            for pk, level, codes in Rating.objects.filter(**span).values_list(
                "employer_id", "level", "clause_codes"
            )
        )
        facts = case_facts_by_employer(Case.objects.filter(**span))
        repairs = repairs_by_employer(employer_filter=span)
        for pk, credit_code, name in chunk:
            old_level, old_codes = stored.get(pk, (rules.LEVEL_A, ""))
            cases = facts.get(pk, ())
            if not cases and old_level == rules.LEVEL_A and not old_codes:
                continue  # no cases: A under every rule set
            result = rules.evaluate(
                cases,
                today=today,
                window_months=window,
                ruleset=ruleset,
                repairs=repairs.get(pk, ()),
            )
            if (result.level, result.clause_codes) != (old_level, old_codes):
                summary.changes.append(
                    ReplayChange(
                        pk,
                        credit_code,
                        name,
                        old_level,
                        old_codes,
                        result.level,
                        result.clause_codes,
                    )
                )
        summary.employers += len(chunk)
    return summary


class ReplayExport(SheetExport):
    """The employers a replay would change, with the old and the new clauses."""

    filename = "replay"
    sheet_title = _("Replay")
    columns = [
        ExportColumn(_("Unified social credit code"), "credit_code"),
        ExportColumn(_("Employer"), "name"),
        ExportColumn(_("Current level"), "old_level"),
        ExportColumn(_("Current clauses"), "old_clauses"),
        ExportColumn(_("Level under the replayed rules"), "new_level"),
        ExportColumn(_("Clauses under the replayed rules"), "new_clauses"),
    ]

    def write(self, path: str, changes: list[ReplayChange]) -> None:
        """The report as an .xlsx file at ``path`` (cells formula-safe)."""
        write_xlsx(
            path, header=self.header(), rows=self.rows(changes), sheet_title=str(self.sheet_title)
        )
