"""Writes of the inspections app: patrols, written reviews, cases and their evidence.

Views, forms, commands and other apps (complaints opens cases on acceptance) call these; they
hold the rules about what may change and keep every change attributable (simple-history rows
carry the acting user).
"""

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import is_supervisor
from employers.models import Employer

from .items import Item
from .models import (
    Case,
    CaseNumberCounter,
    EvidenceFile,
    Patrol,
    PatrolCheck,
    WrittenReview,
)
from .uploads import check_evidence_upload

CASE_NUMBER_FORMAT = "西青人社监〔{year}〕{serial:03d}号"
CASE_NUMBER_PATTERN = re.compile(r"^西青人社监〔(?P<year>\d{4})〕(?P<serial>\d{1,6})号$")
_NUMBER_ATTEMPTS = 5
# Set only through case_judge_serious (a supervisor's judgement).
_PROTECTED_CASE_FIELDS = {"serious", "serious_reason", "serious_judged_by"}


def case_number_format(*, year: int, serial: int) -> str:
    return CASE_NUMBER_FORMAT.format(year=year, serial=serial)


def _case_number_next(year: int) -> str:
    """The next free case number of ``year``; call inside a transaction (see
    ``YearlyCounter.number_next``)."""
    return CaseNumberCounter.number_next(
        year=year,
        format_number=lambda serial: case_number_format(year=year, serial=serial),
        is_taken=lambda number: Case.objects.filter(number=number).exists(),
    )


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple-history takes the user from the request middleware; services also run from
    # commands and other apps' code, so name the user explicitly.
    if user is not None:
        instance._history_user = user


def case_open(
    *,
    employer: Employer,
    source: str,
    opened_on: datetime.date,
    inspectors: Iterable[AbstractBaseUser],
    created_by: AbstractBaseUser | None,
    number: str | None = None,
    violation_items: Sequence[str] = (),
    facts: str = "",
    source_patrol: Patrol | None = None,
    source_review: WrittenReview | None = None,
    measures: Mapping[str, object] | None = None,
) -> Case:
    """Open an enforcement case (立案) and return it, saved.

    ``measures`` optionally sets further Case fields at once (decision date, order, decision,
    penalty, flags) when a case is recorded after the fact.

    Without ``number`` the next free bureau number of the opening year is assigned
    (西青人社监〔2026〕012号). Raises ``ValidationError`` when the data breaks a rule (unknown
    source or item, a number already used, fewer than two inspectors)."""
    inspectors = list(inspectors)
    if len({u.pk for u in inspectors}) < 2:
        raise ValidationError(
            {"inspectors": _("A case needs at least two inspectors (Labour Inspection Art. 16).")}
        )
    unknown = [code for code in violation_items if code not in Item.values]
    if unknown:
        raise ValidationError(
            {"violation_items": _("Unknown evaluation items: %(items)s") % {"items": unknown}}
        )
    for attempt in range(_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                case = Case(
                    number=number or _case_number_next(opened_on.year),
                    employer=employer,
                    source=source,
                    opened_on=opened_on,
                    violation_items=list(violation_items),
                    facts=facts,
                    source_patrol=source_patrol,
                    source_review=source_review,
                    created_by=created_by,
                )
                for name, value in (measures or {}).items():
                    if name in _PROTECTED_CASE_FIELDS:
                        raise PermissionDenied(name)
                    setattr(case, name, value)
                case.full_clean(exclude=["number"] if number is None else None)
                _set_history_user(case, created_by)
                case.save()
                case.inspectors.set(inspectors)
                return case
        except IntegrityError:
            # Another user took the same number between our check and our insert (only
            # possible where the database does not lock the counter row, or with a typed
            # number): try the next one, or report a typed number as taken.
            if number is not None or attempt == _NUMBER_ATTEMPTS - 1:
                raise ValidationError(
                    {"number": _("Case number %(number)s is already used.") % {"number": number}}
                ) from None
    raise AssertionError("unreachable")


def case_save(
    *, case: Case, inspectors: Iterable[AbstractBaseUser] | None, user: AbstractBaseUser
) -> Case:
    """Save an edited case (fields set by a validated form). The serious flag is a
    supervisor's judgement: an edit by anybody else cannot change it."""
    if case.pk:
        stored = Case.objects.only("serious", "serious_reason", "serious_judged_by").get(pk=case.pk)
        if not is_supervisor(user) and (
            stored.serious != case.serious or stored.serious_reason != case.serious_reason
        ):
            raise PermissionDenied(_("Only a supervisor may judge a violation serious."))
    case.full_clean()
    with transaction.atomic():
        _set_history_user(case, user)
        case.save()
        if inspectors is not None:
            case.inspectors.set(list(inspectors))
    return case


def case_judge_serious(*, case: Case, serious: bool, reason: str, user: AbstractBaseUser) -> Case:
    """Set or clear the "other major violation judged serious" flag (C6). Supervisors only."""
    if not is_supervisor(user):
        raise PermissionDenied(_("Only a supervisor may judge a violation serious."))
    reason = reason.strip()
    if serious and not reason:
        raise ValidationError({"serious_reason": _("Judging a violation serious needs a reason.")})
    case.serious = serious
    case.serious_reason = reason if serious else ""
    case.serious_judged_by = user if serious else None
    case.full_clean()
    _set_history_user(case, user)
    case.save(update_fields=["serious", "serious_reason", "serious_judged_by", "updated_at"])
    return case


def case_withdraw(*, case: Case, reason: str, user: AbstractBaseUser) -> Case:
    """撤销立案: minor and already corrected; a withdrawn case does not count as sanctioned."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"withdrawn_reason": _("Give the reason for withdrawing the case.")})
    case.withdrawn = True
    case.withdrawn_reason = reason
    _set_history_user(case, user)
    case.save(update_fields=["withdrawn", "withdrawn_reason", "updated_at"])
    return case


def case_close(*, case: Case, closed_on: datetime.date, user: AbstractBaseUser) -> Case:
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it was opened.")})
    case.closed_on = closed_on
    _set_history_user(case, user)
    case.save(update_fields=["closed_on", "updated_at"])
    return case


# --- patrols -------------------------------------------------------------------------------


def patrol_save(
    *,
    patrol: Patrol,
    inspectors: Iterable[AbstractBaseUser],
    checks: Mapping[str, tuple[str, str]],
    user: AbstractBaseUser,
    case_opened_on: datetime.date | None = None,
) -> tuple[Patrol, Case | None]:
    """Save a patrol with its checklist (``{item: (result, note)}``) in one transaction.

    When the outcome is "case opened" and the patrol has no case yet, the case is opened in
    the same step, prefilled from the patrol: its employer, inspectors, the items with a
    problem and the findings. Returns the patrol and that new case (or None)."""
    inspectors = list(inspectors)
    if len({u.pk for u in inspectors}) < 2:
        raise ValidationError(
            {"inspectors": _("A patrol needs at least two inspectors (Labour Inspection Art. 16).")}
        )
    if patrol.created_by_id is None:
        patrol.created_by = user
    patrol.full_clean()
    new_case = None
    with transaction.atomic():
        _set_history_user(patrol, user)
        patrol.save()
        patrol.inspectors.set(inspectors)
        existing = {c.item: c for c in patrol.checks.all()}
        for item in Item.values:
            result, note = checks.get(item, (PatrolCheck.Result.NOT_CHECKED, ""))
            note = note.strip()
            line = existing.get(item) or PatrolCheck(patrol=patrol, item=item)
            if line.pk and line.result == result and line.note == note:
                continue
            line.result, line.note = result, note
            line.full_clean(exclude=["patrol"])
            _set_history_user(line, user)
            line.save()
        if patrol.outcome == Patrol.Outcome.CASE_OPENED and not patrol.cases.exists():
            problems = [
                item
                for item in Item.values
                if checks.get(item, ("", ""))[0] == PatrolCheck.Result.PROBLEM
            ]
            new_case = case_open(
                employer=patrol.employer,
                source=Case.Source.PATROL,
                opened_on=case_opened_on or patrol.patrolled_on,
                inspectors=inspectors,
                created_by=user,
                violation_items=problems,
                facts=patrol.findings,
                source_patrol=patrol,
            )
    return patrol, new_case


# --- evidence ------------------------------------------------------------------------------


def evidence_add(
    *,
    upload: UploadedFile,
    user: AbstractBaseUser,
    patrol: Patrol | None = None,
    case: Case | None = None,
    review: WrittenReview | None = None,
    description: str = "",
) -> EvidenceFile:
    """Attach a checked photo or PDF to exactly one record."""
    owner = patrol or case or review
    if owner is None or sum(x is not None for x in (patrol, case, review)) != 1:
        raise ValueError("evidence belongs to exactly one record")
    content_type = check_evidence_upload(upload)
    evidence = EvidenceFile(
        employer_id=owner.employer_id,
        patrol=patrol,
        case=case,
        review=review,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        description=description.strip()[:200],
        uploaded_by=user,
    )
    evidence.file.save(upload.name, upload, save=False)
    _set_history_user(evidence, user)
    evidence.save()
    return evidence


# --- written reviews -----------------------------------------------------------------------


def review_save(*, review: WrittenReview, user: AbstractBaseUser) -> WrittenReview:
    """Record or edit a review's receipt data (status changes go through the functions
    below)."""
    if review.created_by_id is None:
        review.created_by = user
    review.materials = [code for code in Item.values if code in set(review.materials)]
    review.full_clean()
    _set_history_user(review, user)
    review.save()
    return review


_REVIEW_FLOW = {
    WrittenReview.Status.SUBMITTED: {
        WrittenReview.Status.RETURNED,
        WrittenReview.Status.PASSED,
        WrittenReview.Status.PROBLEMS,
    },
    WrittenReview.Status.RETURNED: {WrittenReview.Status.RESUBMITTED},
    WrittenReview.Status.RESUBMITTED: {
        WrittenReview.Status.RETURNED,
        WrittenReview.Status.PASSED,
        WrittenReview.Status.PROBLEMS,
    },
    WrittenReview.Status.PASSED: set(),
    WrittenReview.Status.PROBLEMS: set(),
}


def review_next_statuses(review: WrittenReview) -> set[str]:
    return _REVIEW_FLOW[WrittenReview.Status(review.status)]


def _review_move(
    review: WrittenReview, status: str, *, user: AbstractBaseUser, **changes: Any
) -> WrittenReview:
    """The review moved on to ``status`` with the ``changes`` that go with it, and saved; a
    move its flow does not allow is refused."""
    if status not in review_next_statuses(review):
        raise ValidationError(
            _("A review that is %(current)s cannot become %(new)s.")
            % {
                "current": review.get_status_display(),
                "new": WrittenReview.Status(status).label,
            }
        )
    review.status = status
    for field, value in changes.items():
        setattr(review, field, value)
    review.full_clean()
    _set_history_user(review, user)
    review.save()
    return review


def review_return(
    *,
    review: WrittenReview,
    reason: str,
    deadline: datetime.date | None,
    returned_on: datetime.date,
    user: AbstractBaseUser,
) -> WrittenReview:
    """退回重新报送: a reason and a resubmission deadline are required."""
    errors = {}
    if not reason.strip():
        errors["returned_reason"] = _("Give the reason for returning the review.")
    if deadline is None:
        errors["resubmit_deadline"] = _("Set a resubmission deadline.")
    elif deadline < returned_on:
        errors["resubmit_deadline"] = _("The resubmission deadline cannot be before the return.")
    if errors:
        raise ValidationError(errors)
    return _review_move(
        review,
        WrittenReview.Status.RETURNED,
        user=user,
        returned_reason=reason.strip(),
        resubmit_deadline=deadline,
        returned_on=returned_on,
        resubmitted_on=None,
    )


def review_resubmit(
    *, review: WrittenReview, resubmitted_on: datetime.date, user: AbstractBaseUser
) -> WrittenReview:
    return _review_move(
        review, WrittenReview.Status.RESUBMITTED, user=user, resubmitted_on=resubmitted_on
    )


def review_pass(
    *, review: WrittenReview, concluded_on: datetime.date, conclusion: str, user: AbstractBaseUser
) -> WrittenReview:
    return _review_move(
        review,
        WrittenReview.Status.PASSED,
        user=user,
        concluded_on=concluded_on,
        conclusion=conclusion.strip(),
    )


def review_find_problems(
    *,
    review: WrittenReview,
    concluded_on: datetime.date,
    conclusion: str,
    violation_items: Sequence[str],
    inspectors: Iterable[AbstractBaseUser],
    user: AbstractBaseUser,
) -> tuple[WrittenReview, Case]:
    """Problems found: the review concludes and a case is opened from it in one step."""
    with transaction.atomic():
        _review_move(
            review,
            WrittenReview.Status.PROBLEMS,
            user=user,
            concluded_on=concluded_on,
            conclusion=conclusion.strip(),
        )
        case = case_open(
            employer=review.employer,
            source=Case.Source.WRITTEN_REVIEW,
            opened_on=concluded_on,
            inspectors=inspectors,
            created_by=user,
            violation_items=violation_items,
            facts=review.conclusion,
            source_review=review,
        )
    return review, case


def today() -> datetime.date:
    return timezone.localdate()
