"""How one row of a list reads on a phone: a card.

Below the ``md`` breakpoint a table of many columns cannot be read (names squeezed to one
character a line, columns cut off), so every list's rows turn into cards there. The markup stays
one table (nothing is rendered twice): the shared table template
(core/templates/core/lists/table.html) marks each cell with its role on the card and site.css lays
the row out as a card below ``md``; from ``md`` up it is the ordinary table.

A table declares which of its columns its card shows with a ``card = Card(...)`` class
attribute; every other column is hidden on the card. A table without a spec gets a card of its
first columns, so no list is left scrolling sideways.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

TITLE, CODE, UNIT, BADGE, DATE, EXTRA, HIDE = (
    "title",
    "code",
    "unit",
    "badge",
    "date",
    "extra",
    "hide",
)


@dataclass(frozen=True)
class Card:
    # the card's heading: the employer's name (the column's link, if any, becomes the tap target)
    title: str
    # small monospace line under the title: a credit code, a case or complaint number; a column,
    # or a function of the record for a code no column shows (printed under the title on phones)
    code: str | Callable[[Any], str] | None = None
    # the area unit: a column, or a function of the record
    unit: str | Callable[[Any], str] | None = None
    # the column at the card's top right: the level badge, an outcome or a deadline clock
    badge: str | None = None
    # the one or two dates that matter for this list, each labelled with its column header
    dates: tuple[str, ...] = ()
    # further columns, labelled likewise (status, clauses, an action)
    extra: tuple[str, ...] = ()
    # the column whose link the whole card opens, when it is not the title's (a case number)
    link: str | None = None

    def roles(self, column_names: list[str]) -> dict[str, str]:
        """Column name -> its role on the card; columns the table lacks are left out (an
        extension's column where the extension is not installed)."""
        roles = dict.fromkeys(column_names, HIDE)
        named = [(self.title, TITLE), (self.badge, BADGE)]
        named += [(self.code, CODE), (self.unit, UNIT)]
        named += [(name, DATE) for name in self.dates] + [(name, EXTRA) for name in self.extra]
        for name, role in named:
            if isinstance(name, str) and name in roles:
                roles[name] = role
        return roles

    def positions(self, column_names: list[str]) -> dict[str, int]:
        """Column name -> its place among the dates or among the further columns, as the spec
        lists them (a phone card shows the next patrol due before the last patrol whatever
        the table's column order)."""
        places = {name: i for i, name in enumerate(self.dates)}
        places.update({name: i for i, name in enumerate(self.extra)})
        return {name: places.get(name, 0) for name in column_names}

    def sub_line(self, record: Any) -> list[str]:
        """The code and unit given as functions (no column of the table shows them)."""
        return [str(part(record) or "") for part in (self.code, self.unit) if callable(part)]


def default_card(column_names: list[str]) -> Card:
    """The first column as the title, the next three as labelled lines."""
    return Card(title=column_names[0] if column_names else "", extra=tuple(column_names[1:4]))


# An employer printed as "name (credit code)" (its __str__): the code in brackets at the end of
# the title's link text.
_TRAILING_CREDIT_CODE = re.compile(r"\s*[(（]([0-9A-HJ-NPQRTUWXY]{18})[)）](?=\s*(?:</a>)?\s*$)")


def title_html(html: str) -> str:
    """The title cell with a trailing "(credit code)" wrapped in ``span.card-title-code``: the
    table shows it, a phone card leaves it out (the name fits one line; the card's code line
    or the employer page has the code)."""
    escaped = conditional_escape(html)  # a plain string is escaped, a rendered cell kept
    marked = _TRAILING_CREDIT_CODE.sub(r' <span class="card-title-code">(\1)</span>', escaped)
    return mark_safe(marked)  # escaped above; the span holds only a credit code
