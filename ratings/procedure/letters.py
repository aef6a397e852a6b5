"""The procedure's letters as PDF (``core.documents.render_pdf``): the notice of a rating
(《劳动保障守法诚信等级评价结果告知书》), the notice of a yearly evaluation, and the decision on an
objection. Letters are always in Chinese, whatever the reader's language."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.documents import render_pdf
from employers.models import Employer
from inspections.models import Case

from .. import rules
from ..facts import employer_case_facts
from ..models import Rating
from ..presentation import outlook_lines
from ..repair.facts import employer_rule_inputs
from .models import Notice, Objection

LETTER_LANGUAGE = "zh-hans"


def _measures(case: Case) -> str:
    parts = []
    if case.order_issued:
        parts.append(_("order to correct (deadline %(on)s)") % {"on": case.order_deadline or "—"})
    if case.decision_issued:
        parts.append((_("handling decision %(number)s") % {"number": case.decision_number}).strip())
    if case.penalty_issued:
        parts.append(
            (_("administrative penalty %(number)s") % {"number": case.penalty_number}).strip()
        )
    flags = [
        (case.mass_incident, _("mass incident")),
        (case.serious, _("judged serious")),
        (case.criminal, _("criminal liability pursued")),
    ]
    parts.extend(str(label) for flag, label in flags if flag)
    return _("; ").join(parts) if parts else "—"


def clauses_in_words(clauses: list[dict]) -> list[dict]:
    """Each clause of a stored rating with its words, its legal source and its cases."""
    ids = {item["id"] for clause in clauses for item in clause.get("cases", [])}
    cases = {case.pk: case for case in Case.objects.filter(pk__in=ids)}
    explained = []
    for clause in clauses:
        code = clause["code"]
        rows = []
        for item in clause.get("cases", []):
            case = cases.get(item["id"])
            rows.append(
                {
                    "number": item.get("number") or (case.number if case else ""),
                    "decided_on": case.decided_on if case else None,
                    "measures": _measures(case) if case else "—",
                }
            )
        explained.append(
            {
                "code": code,
                "title": str(rules.CLAUSE_TITLES.get(code, code)),
                "source": rules.CLAUSE_SOURCES.get(code, ""),
                "cases": rows,
            }
        )
    return explained


def _outlook(employer: Employer, level: str, today: datetime.date) -> list[str]:
    facts = employer_case_facts(employer_id=employer.pk)
    window = settings.RATING_WINDOW_MONTHS
    inputs = employer_rule_inputs(employer_id=employer.pk, today=today, has_cases=bool(facts))
    outlook = rules.outlook(facts, today=today, window_months=window, **inputs)
    return [line["text"] for line in outlook_lines(outlook, level)]


def _common(employer: Employer, snapshot: dict, today: datetime.date) -> dict:
    return {
        "bureau_name": settings.BUREAU_NAME,
        "employer": employer,
        "level": snapshot["level"],
        "clause_codes": snapshot["clause_codes"],
        "ruleset_version": snapshot["ruleset_version"],
        "clauses": clauses_in_words(snapshot["clauses"]),
        "outlook": _outlook(employer, snapshot["level"], today),
        "objection_workdays": settings.OBJECTION_PERIOD_WORKDAYS,
        "objection_place": settings.OBJECTION_PLACE or settings.BUREAU_NAME,
        "issued_on": today,
    }


def notice_letter_pdf(notice: Notice, *, today: datetime.date | None = None) -> bytes:
    """The letter of a notice (the rating as it was told)."""
    today = notice.issued_on or today or timezone.localdate()
    with translation.override(LETTER_LANGUAGE):
        context = _common(notice.employer, notice.__dict__, today)
        context.update(
            {
                "title": _("Notice of the labour-security compliance credit rating"),
                "document_number": notice.document_number,
                "notice": notice,
                "year": notice.yearly_evaluation.year if notice.yearly_evaluation_id else None,
                "since": notice.level_since,
            }
        )
        template = (
            "ratings/procedure/letters/yearly_letter.html"
            if notice.kind == Notice.Kind.YEARLY
            else "ratings/procedure/letters/notice_letter.html"
        )
        return render_pdf(template, context)


def rating_letter_pdf(rating: Rating, *, today: datetime.date | None = None) -> bytes:
    """An unnumbered letter of a current rating that has no notice yet (a draft)."""
    today = today or timezone.localdate()
    snapshot = {
        "level": rating.level,
        "clause_codes": rating.clause_codes,
        "clauses": rating.clauses,
        "ruleset_version": rating.ruleset_version,
    }
    with translation.override(LETTER_LANGUAGE):
        context = _common(rating.employer, snapshot, today)
        context.update(
            {
                "title": _("Notice of the labour-security compliance credit rating"),
                "document_number": "",
                "notice": None,
                "since": rating.since,
            }
        )
        return render_pdf("ratings/procedure/letters/notice_letter.html", context)


def objection_decision_pdf(objection: Objection) -> bytes:
    with translation.override(LETTER_LANGUAGE):
        context = {
            "title": _("Decision on the objection to the compliance credit rating"),
            "bureau_name": settings.BUREAU_NAME,
            "document_number": objection.decision_number,
            "objection": objection,
            "notice": objection.notice,
            "employer": objection.employer,
            "ground": objection.get_ground_display(),
            "outcome": objection.get_outcome_display(),
            "issued_on": objection.decided_on or timezone.localdate(),
        }
        return render_pdf("ratings/procedure/letters/objection_decision.html", context)
