"""The rating panel on the employer page (order 10)."""

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from employers.models import Employer

from . import rules
from .facts import employer_case_facts
from .models import Rating, RatingHistory
from .presentation import explain_clauses, not_counted_lines, outlook_lines
from .procedure.selectors import procedure_panel
from .repair.facts import employer_rule_inputs

HISTORY_SHOWN = 20


def rating_panel(request: HttpRequest, employer: Employer) -> dict:
    """Context of the rating panel (order 10). Five queries: rating, history, case facts, rule
    set, repairs."""
    rating = Rating.objects.filter(employer=employer).first()
    history = list(RatingHistory.objects.filter(employer=employer)[:HISTORY_SHOWN])
    facts = employer_case_facts(employer_id=employer.pk)
    today = timezone.localdate()
    window = settings.RATING_WINDOW_MONTHS
    inputs = employer_rule_inputs(employer_id=employer.pk, today=today, has_cases=bool(facts))
    live = rules.evaluate(facts, today=today, window_months=window, **inputs)
    stored_clauses = rating.clauses if rating else []
    stale = rating is None or rating.level != live.level or rating.clause_codes != live.clause_codes
    return {
        "rating": rating,
        "procedure": procedure_panel(employer, rating),
        "level": rating.level if rating else live.level,
        "clauses": explain_clauses(stored_clauses),
        "stale": stale,
        "history": history,
        "outlook": outlook_lines(
            rules.outlook(facts, today=today, window_months=window, **inputs), live.level
        ),
        "not_counted": not_counted_lines(live),
        "window_months": window,
        "window_start": live.window_start + datetime.timedelta(days=1),
    }
