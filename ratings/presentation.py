"""The rating in plain words: each clause with its cases, what would change the rating, and
the cases the rules leave out. Used by the rating panel on the employer page."""

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import rules


def _case_url(case_id: int) -> str | None:
    try:
        return reverse("inspections:case_detail", kwargs={"pk": case_id})
    except NoReverseMatch:
        return None


def _day_before(iso: str | None) -> str | None:
    if not iso:
        return None
    return (datetime.date.fromisoformat(iso) - datetime.timedelta(days=1)).isoformat()


def _case_line(code: str, item: dict) -> str:
    if code == "C2":
        return _("Order to correct %(number)s overdue and not rectified since %(on)s") % item
    if code == "C3":
        return _("Handling decision %(number)s not performed since %(on)s") % item
    last = _day_before(item.get("until"))
    if last:
        return _("%(number)s, dated %(on)s; counts until %(last)s") % {**item, "last": last}
    return _("%(number)s, dated %(on)s") % item


def explain_clauses(clauses: list[dict]) -> list[dict]:
    """Stored clauses in plain words, each case with a link to it."""
    explained = []
    for clause in clauses:
        code = clause["code"]
        explained.append(
            {
                "code": code if code in rules.C_CODES else "",
                "title": str(rules.CLAUSE_TITLES.get(code, code)),
                "cases": [
                    {"text": _case_line(code, item), "url": _case_url(item["id"])}
                    for item in clause.get("cases", [])
                ],
            }
        )
    return explained


def outlook_lines(outlook: rules.Outlook, current_level: str) -> list[dict]:
    lines = []
    for remedy in outlook.remedies:
        values = {
            "number": remedy.number,
            "on": remedy.overdue_since.isoformat(),
            "level": remedy.level_after,
        }
        if remedy.kind == "rectify":
            text = _(
                "C2: order to correct %(number)s not rectified since %(on)s; "
                "recording the rectification makes it %(level)s"
            )
        else:
            text = _(
                "C3: handling decision %(number)s not performed since %(on)s; "
                "recording its performance makes it %(level)s"
            )
        lines.append({"text": text % values})
    if outlook.all_remedied_level:
        lines.append(
            {
                "text": _("Recording all of them makes it %(level)s")
                % {"level": outlook.all_remedied_level}
            }
        )
    if outlook.next_change_on:
        values = {
            "date": outlook.next_change_on.isoformat(),
            "level": outlook.next_level,
            "codes": outlook.next_clause_codes or outlook.next_level,
        }
        if outlook.next_level != current_level:
            text = _("Without new records it becomes %(level)s on %(date)s (%(codes)s)")
        else:
            text = _("Without new records the reasons change on %(date)s (still %(level)s)")
        lines.append({"text": text % values})
    return lines


def not_counted_lines(result: rules.Rating) -> list[str]:
    lines = []
    for item in result.not_counted:
        if item.reason == "withdrawn":
            lines.append(_("%(number)s was withdrawn and does not count") % {"number": item.number})
        else:
            lines.append(
                _("%(number)s has measures but no decision date yet, so it does not count yet")
                % {"number": item.number}
            )
    return lines
