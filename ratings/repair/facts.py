"""What the rules take besides the cases: the rule set in force on a day and the granted
repairs, each gathered with one query (per chunk of employers)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery

from .. import rules
from .models import Repair, RuleSetSwitch


def ruleset_default() -> rules.RuleSet:
    """The rule set before any switch: the setting ``RATING_RULESET`` (the stored version
    ``RATING_RULESET_VERSION`` when that names no rule set)."""
    try:
        return rules.ruleset_get(settings.RATING_RULESET)
    except rules.UnknownRuleSet:
        return rules.ruleset_for_version(settings.RATING_RULESET_VERSION)


def ruleset_from_switch(ruleset_id: str | None) -> rules.RuleSet:
    """The rule set a switch names (None: no switch yet, the default)."""
    if ruleset_id is None:
        return ruleset_default()
    try:
        return rules.ruleset_get(ruleset_id)
    except rules.UnknownRuleSet:  # a rule set withdrawn from the code: keep rating
        return ruleset_default()


def ruleset_switch_subquery(today: datetime.date) -> Subquery:
    """The id of the switch in force on ``today`` as a subquery, to read it with another
    query (the rerate's lock) instead of in one of its own."""
    return Subquery(
        RuleSetSwitch.objects.filter(effective_on__lte=today)
        .order_by("-effective_on", "-id")
        .values("ruleset_id")[:1]
    )


def repairs_granted_exist() -> Exists:
    """Whether the outer employer has any granted repair (an annotation)."""
    return Exists(Repair.objects.filter(employer_id=OuterRef("pk"), status=Repair.Status.GRANTED))


def ruleset_active(*, today: datetime.date) -> rules.RuleSet:
    """The rule set in force on ``today``: the newest switch effective by then, or the default.
    One query."""
    switch = (
        RuleSetSwitch.objects.filter(effective_on__lte=today)
        .order_by("-effective_on", "-id")
        .values_list("ruleset_id", flat=True)
        .first()
    )
    return ruleset_from_switch(switch)


def _repair_facts(row: dict) -> rules.RepairFacts:
    return rules.RepairFacts(
        code=row["code"], case_ids=frozenset(row["case_ids"]), granted_on=row["decided_on"]
    )


def repairs_by_employer(
    *, employer_ids: Iterable[int] | None = None, employer_filter: dict | None = None
) -> dict[int, list[rules.RepairFacts]]:
    """Granted repairs grouped by employer (one query): by ids, or by a ready filter on
    ``employer_id`` (the rerate's range over a chunk)."""
    granted = Repair.objects.granted().order_by()
    if employer_filter is not None:
        granted = granted.filter(**employer_filter)
    elif employer_ids is not None:
        granted = granted.filter(employer_id__in=list(employer_ids))
    grouped: dict[int, list[rules.RepairFacts]] = defaultdict(list)
    for row in granted.values("employer_id", "code", "case_ids", "decided_on"):
        grouped[row["employer_id"]].append(_repair_facts(row))
    return grouped


def employer_repair_facts(*, employer_id: int) -> list[rules.RepairFacts]:
    return repairs_by_employer(employer_ids=[employer_id]).get(employer_id, [])


def employer_rule_inputs(*, employer_id: int, today: datetime.date, has_cases: bool) -> dict:
    """What ``rules.evaluate`` and ``rules.outlook`` take besides the cases, for one employer:
    the rule set in force and its granted repairs. The employer page and the letters both ask
    here, so a letter's "what would end it" follows the same rules as the page. Two queries (one
    when the employer has no cases: a repair needs a case)."""
    return {
        "ruleset": ruleset_active(today=today),
        "repairs": employer_repair_facts(employer_id=employer_id) if has_cases else (),
    }
