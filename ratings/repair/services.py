"""Writes of credit repair (信用修复) and of the district's rule set.

A repair application names one clause of the employer's current rating; the cases behind it
are copied from the stored rating. Granting checks every precondition and refuses naming each
one missing; a grant numbers the decision, reruns the rating (history: "repaired by decision
N") and from then on the rules leave those cases out of that clause.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_months
from core.numbers import letter_number_next
from employers.models import Employer
from inspections.models import Case, Patrol

from .. import rules
from ..models import Rating, RatingHistory
from ..services import employer_rerate
from ..services.rerate import ruleset_switches_apply
from .models import Repair, RepairDecisionCounter, RuleSetSwitch


def repair_min_months(code: str) -> int:
    """The least months clause ``code`` must have held before a repair (setting)."""
    return int(settings.RATING_REPAIR_MIN_MONTHS.get(code, 0))


def repair_apply(
    *,
    employer: Employer,
    code: str,
    applied_on: datetime.date,
    corrected_on: datetime.date | None = None,
    statement: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Repair:
    """Record an application to repair clause ``code`` of the employer's current rating."""
    if code not in rules.REPAIRABLE_CODES:
        raise ValidationError(
            {
                "code": _("%(code)s ends by itself when remedied; it is not repaired.")
                % {"code": code}
            }
        )
    rating = Rating.objects.filter(employer=employer).first()
    clause = next((c for c in (rating.clauses if rating else []) if c["code"] == code), None)
    if clause is None:
        raise ValidationError(
            {"code": _("The current rating has no clause %(code)s.") % {"code": code}}
        )
    if Repair.objects.pending().filter(employer=employer, code=code).exists():
        raise ValidationError(
            {"code": _("An application to repair %(code)s is already pending.") % {"code": code}}
        )
    on_dates = [datetime.date.fromisoformat(item["on"]) for item in clause.get("cases", [])]
    repair = Repair(
        employer=employer,
        code=code,
        case_ids=list(clause["case_ids"]),
        clause_since=max(on_dates) if on_dates else rating.since,
        applied_on=applied_on,
        corrected_on=corrected_on,
        statement=statement,
        created_by=created_by,
    )
    repair.full_clean()
    repair.save()
    return repair


def repair_missing_preconditions(repair: Repair, *, today: datetime.date) -> list[str]:
    """Each precondition of a grant that is not met, in words (empty: all met).

    The violation corrected (the bureau verified it, and every order and handling decision of
    the cases is rectified or performed), every fine paid, a patrol after the clause began
    that found no problem, and the clause's minimum time passed."""
    missing: list[str] = []
    cases = list(Case.objects.filter(pk__in=repair.case_ids, employer_id=repair.employer_id))
    unremedied = [
        c.number
        for c in cases
        if (c.order_issued and not (c.order_rectified_on and c.order_rectified_on <= today))
        or (
            c.decision_issued and not (c.decision_fulfilled_on and c.decision_fulfilled_on <= today)
        )
    ]
    if repair.corrected_on is None or repair.corrected_on > today or unremedied:
        detail = "、".join(unremedied) or _("no verified correction date")
        missing.append(_("The violation is not corrected (%(detail)s).") % {"detail": detail})
    unpaid = [
        c.number
        for c in cases
        if c.penalty_issued
        and (c.penalty_amount or c.fine_due_on)
        and not (c.fine_paid_on and c.fine_paid_on <= today)
    ]
    if unpaid:
        missing.append(_("The fine is not paid (%(cases)s).") % {"cases": "、".join(unpaid)})
    patrolled = Patrol.objects.filter(
        employer_id=repair.employer_id,
        patrolled_on__gt=repair.clause_since,
        patrolled_on__lte=today,
        outcome=Patrol.Outcome.COMPLIANT,
    ).exists()
    if not patrolled:
        missing.append(
            _("No follow-up patrol after %(since)s found the employer compliant.")
            % {"since": repair.clause_since.isoformat()}
        )
    months = repair_min_months(repair.code)
    earliest = add_months(repair.clause_since, months)
    if today < earliest:
        missing.append(
            _(
                "The minimum time in C for %(code)s (%(months)d months) has not passed: "
                "the earliest day is %(day)s."
            )
            % {"code": repair.code, "months": months, "day": earliest.isoformat()}
        )
    return missing


def repair_decide(
    *,
    repair: Repair,
    grant: bool,
    reasons: str,
    decided_by: AbstractBaseUser,
    today: datetime.date | None = None,
) -> Repair:
    """Grant or refuse a pending application. A grant with a precondition missing is refused
    with a ``ValidationError`` naming each one; a refusal needs reasons. A grant numbers the
    decision and reruns the rating."""
    today = today or timezone.localdate()
    if not repair.is_pending:
        raise ValidationError(_("This application was already decided."))
    if grant:
        missing = repair_missing_preconditions(repair, today=today)
        if missing:
            raise ValidationError(missing)
    elif not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for refusing.")})
    with transaction.atomic():
        locked = Repair.objects.select_for_update().get(pk=repair.pk)
        if not locked.is_pending:
            raise ValidationError(_("This application was already decided."))
        locked.status = Repair.Status.GRANTED if grant else Repair.Status.REFUSED
        locked.decided_on = today
        locked.decided_by = decided_by
        locked.reasons = reasons.strip()
        locked.decision_number = letter_number_next(
            RepairDecisionCounter,
            prefix=settings.REPAIR_NUMBER_PREFIX,
            year=today.year,
            letters=Repair.objects.all(),
            field="decision_number",
        )
        locked.save()
        if grant:
            employer_rerate(
                employer_id=locked.employer_id,
                cause=RatingHistory.Cause.REPAIR,
                today=today,
                cause_detail=locked.decision_number,
            )
    return locked


def ruleset_switch(
    *,
    ruleset_id: str,
    effective_on: datetime.date,
    switched_by: AbstractBaseUser | None,
    reason: str = "",
    today: datetime.date | None = None,
) -> RuleSetSwitch:
    """Switch the district to another rule set from ``effective_on``. Effective today or
    earlier: every rating is rerun at once; later: the daily sweep reruns them that day."""
    rules.ruleset_get(ruleset_id)  # UnknownRuleSet for an id that is not in the code
    today = today or timezone.localdate()
    switch = RuleSetSwitch.objects.create(
        ruleset_id=ruleset_id, effective_on=effective_on, switched_by=switched_by, reason=reason
    )
    if effective_on <= today:
        ruleset_switches_apply(today=today)
    return switch
