"""Which employers a full rerate has to evaluate at all.

A stored rating is a function of the employer's cases, the rule set and the day; between two
changes of the cases it only changes on its ``next_change_on`` (the rules compute that date as
the first day the answer changes by itself). So an employer can be left out when

* it has a rating computed with the current rule set,
* none of its cases was recorded or modified after that rating was computed
  (``Case.updated_at``, kept by ``auto_now`` and by the case-ledger importer's bulk path), and
* its ``next_change_on`` is empty or still to come.

A deleted case or a case moved to another employer leaves no newer ``updated_at`` behind: those
paths rerate the employers concerned at once (ratings/signals.py), so the rating is current
when the next sweep looks. ``employers_rerate_bulk(prefilter=False)`` evaluates everyone.

The test tests/ratings/test_prefilter*.py runs this query and the rules on generated data and
checks that every employer left out would indeed have kept its stored values.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from employers.models import Employer
from inspections.models import Case

from ..models import Rating


def unchanged_ratings(*, today: datetime.date, version: str | None = None) -> QuerySet[Rating]:
    """Ratings that cannot have changed since they were computed (see the module docstring)."""
    version = version or settings.RATING_RULESET_VERSION
    newer_case = Case.objects.filter(
        employer_id=OuterRef("employer_id"), updated_at__gt=OuterRef("computed_at")
    )
    return (
        Rating.objects.filter(ruleset_version=version)
        .filter(Q(next_change_on__isnull=True) | Q(next_change_on__gt=today))
        .exclude(Exists(newer_case))
    )


def rerate_candidate_ids(
    *,
    today: datetime.date,
    after: int = 0,
    upto: int | None = None,
    limit: int | None = None,
    version: str | None = None,
) -> list[int]:
    """Employer ids above ``after`` (and up to ``upto``), in order, that a full rerate must
    evaluate: one query (an anti-join of employers against the unchanged ratings)."""
    unchanged = unchanged_ratings(today=today, version=version).filter(employer_id=OuterRef("pk"))
    employers = Employer.objects.filter(pk__gt=after)
    if upto is not None:
        employers = employers.filter(pk__lte=upto)
    ids = employers.exclude(Exists(unchanged)).order_by("pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit else ids)
