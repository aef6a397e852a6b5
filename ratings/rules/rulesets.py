"""The versioned rule sets: which clauses a rating applies, from which legal source, from when.

Pure data (no ORM, no settings). A rule set is chosen by id (``xiqing-2018``); each rating
stores the rule set's ``version`` string, so a stored rating names the rules that made it.
``xiqing-2018`` keeps the version string ratings have always stored (``2018-25.1``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DISTRICT_CODES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7")
NATIONAL_CODES = ("N1", "N2", "N3")
# Every clause that makes an employer C, under any rule set.
C_CODES = DISTRICT_CODES + NATIONAL_CODES
# Clauses that end by themselves when the employer remedies them; no repair for these.
SELF_ENDING_CODES = ("C2", "C3", "N3")
REPAIRABLE_CODES = tuple(code for code in C_CODES if code not in SELF_ENDING_CODES)

# Short statement of each clause, shown next to its stable code.
CLAUSE_TITLES = {
    "C1": _("Sanctioned 3 or more times in the evaluation window"),
    "C2": _("Ordered to correct, the deadline has passed and it is not rectified"),
    "C3": _("Handling decision not fully performed after the performance deadline"),
    "C4": _("Administrative penalty in the evaluation window"),
    "C5": _("Mass petition, incident or serious adverse social impact in the evaluation window"),
    "C6": _("Other major violation judged serious in the evaluation window"),
    "C7": _("Criminal liability pursued in the evaluation window"),
    "N1": _("Child labour or forced labour found in a case in the evaluation window"),
    "N2": _("Refused or obstructed a labour inspection in the evaluation window"),
    "N3": _("Fine of a penalty decision unpaid after its due date"),
    "B": _("Sanctioned in the evaluation window, no C clause applies"),
    "A": _("Not sanctioned in the evaluation window"),
}

_NATIONAL = "人社部规〔2016〕1号"
_CITY_DISTRICT = "津人社规字〔2017〕9号；西青人社发〔2018〕25号"
# Where each clause comes from (the documents; the stored texts are summaries, see
# docs/ratings.md for what is quoted by article).
CLAUSE_SOURCES = {
    "C1": f"{_NATIONAL}；{_CITY_DISTRICT}",
    "C2": f"{_NATIONAL}；{_CITY_DISTRICT}",
    "C3": f"{_NATIONAL}；{_CITY_DISTRICT}",
    "C4": _CITY_DISTRICT,
    "C5": f"{_NATIONAL}；{_CITY_DISTRICT}",
    "C6": f"{_NATIONAL}；{_CITY_DISTRICT}",
    "C7": f"{_NATIONAL}；{_CITY_DISTRICT}",
    "N1": f"{_NATIONAL}（使用童工、强迫劳动）",
    "N2": f"{_NATIONAL}（无理抗拒、阻挠劳动保障监察）",
    "N3": f"{_NATIONAL}（拒不履行行政处罚决定）",
}


@dataclass(frozen=True)
class RuleSet:
    """One version of the rules: the clauses it applies, in the order they are listed."""

    id: str
    version: str  # stored with each rating (Rating.ruleset_version)
    title: str
    legal_source: str
    applies_from: datetime.date
    codes: tuple[str, ...]


XIQING_2018 = RuleSet(
    id="xiqing-2018",
    version="2018-25.1",
    title=_("Xiqing District notice (2018)"),
    legal_source="西青人社发〔2018〕25号；津人社规字〔2017〕9号",
    applies_from=datetime.date(2018, 1, 1),
    codes=DISTRICT_CODES,
)
NATIONAL_2016 = RuleSet(
    id="national-2016",
    version="national-2016",
    title=_("National measures (2016) with the district clauses"),
    legal_source="人社部规〔2016〕1号《企业劳动保障守法诚信等级评价办法》",
    applies_from=datetime.date(2016, 7, 1),
    codes=DISTRICT_CODES + NATIONAL_CODES,
)

RULE_SETS: dict[str, RuleSet] = {rs.id: rs for rs in (XIQING_2018, NATIONAL_2016)}
DEFAULT_RULESET = XIQING_2018


class UnknownRuleSet(KeyError):
    """No rule set has this id; ``known`` lists the ids there are."""

    def __init__(self, ruleset_id: str) -> None:
        super().__init__(ruleset_id)
        self.ruleset_id = ruleset_id
        self.known = tuple(RULE_SETS)

    def __str__(self) -> str:
        return f"unknown rule set {self.ruleset_id!r}; known: {', '.join(self.known)}"


def ruleset_get(ruleset_id: str) -> RuleSet:
    """The rule set with this id, or ``UnknownRuleSet``."""
    try:
        return RULE_SETS[ruleset_id]
    except KeyError:
        raise UnknownRuleSet(ruleset_id) from None


def ruleset_for_version(version: str) -> RuleSet:
    """The rule set that stores ``version`` (the default when none does)."""
    for ruleset in RULE_SETS.values():
        if ruleset.version == version:
            return ruleset
    return DEFAULT_RULESET
