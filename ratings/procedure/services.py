"""Writes of the procedure: notices falling due, their service, objections and decisions."""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.numbers import letter_number_next
from core.roles import is_supervisor
from core.workdays import add_workdays_estimated
from inspections.models import Case
from inspections.services import case_withdraw
from inspections.uploads import check_evidence_upload

from ..models import YearlyEvaluation
from .models import (
    Notice,
    NoticeNumberCounter,
    Objection,
    ObjectionAttachment,
    ObjectionNumberCounter,
)

LEVEL_C = "C"
YEARLY_CHUNK = 2000


def notice_due(changed_on: datetime.date) -> tuple[datetime.date, bool]:
    """The day a notice is due: NOTICE_DUE_WORKDAYS working days after the level changed."""
    return add_workdays_estimated(changed_on, settings.NOTICE_DUE_WORKDAYS)


def notices_due_create(
    *, rows: Sequence[dict], old_levels: dict[int, str | None], today: datetime.date
) -> int:
    """告知 due: a notice for every rating in ``rows`` (the rating values just written, with
    ``employer_id``) whose level became C, i.e. was not C before (``old_levels``). Called by
    the rerate service where it writes history; one insert per call."""
    became_c = [
        row
        for row in rows
        if row["level"] == LEVEL_C and old_levels.get(row["employer_id"]) != LEVEL_C
    ]
    if not became_c:
        return 0  # the usual case: no query at all
    due_on, estimated = notice_due(today)
    notices = [
        Notice(
            employer_id=row["employer_id"],
            kind=Notice.Kind.ROLLING,
            level=row["level"],
            clause_codes=row["clause_codes"],
            clauses=row["clauses"],
            ruleset_version=row["ruleset_version"],
            level_since=row.get("since"),
            changed_on=today,
            due_on=due_on,
            due_estimated=estimated,
        )
        for row in became_c
    ]
    Notice.objects.bulk_create(notices)
    return len(notices)


def notices_create_for_year(*, year: int) -> int:
    """A yearly-evaluation notice for every evaluation of ``year``; a rerun refreshes the
    snapshot of the notices not yet served and leaves served ones as they were told."""
    count = 0
    last_id = 0
    evaluations = YearlyEvaluation.objects.filter(year=year).order_by("pk")
    while True:
        chunk = list(
            evaluations.filter(pk__gt=last_id).values(
                "pk",
                "employer_id",
                "level",
                "clause_codes",
                "clauses",
                "ruleset_version",
                "evaluated_at",
            )[:YEARLY_CHUNK]
        )
        if not chunk:
            return count
        last_id = chunk[-1]["pk"]
        existing = {
            notice.yearly_evaluation_id: notice
            for notice in Notice.objects.filter(yearly_evaluation_id__in=[r["pk"] for r in chunk])
        }
        create, update = [], []
        for row in chunk:
            changed_on = timezone.localtime(row["evaluated_at"]).date()
            snapshot = {
                "level": row["level"],
                "clause_codes": row["clause_codes"],
                "clauses": row["clauses"],
                "ruleset_version": row["ruleset_version"],
            }
            notice = existing.get(row["pk"])
            if notice is None:
                due_on, estimated = notice_due(changed_on)
                create.append(
                    Notice(
                        employer_id=row["employer_id"],
                        kind=Notice.Kind.YEARLY,
                        yearly_evaluation_id=row["pk"],
                        changed_on=changed_on,
                        due_on=due_on,
                        due_estimated=estimated,
                        **snapshot,
                    )
                )
            elif not notice.served:
                for name, value in snapshot.items():
                    setattr(notice, name, value)
                update.append(notice)
        with transaction.atomic():
            Notice.objects.bulk_create(create)
            Notice.objects.bulk_update(
                update, ["level", "clause_codes", "clauses", "ruleset_version"]
            )
        count += len(create)


def notice_number_issue(notice: Notice, *, today: datetime.date | None = None) -> Notice:
    """Give the notice its document number the first time its letter is made."""
    if notice.document_number:
        return notice
    today = today or timezone.localdate()
    with transaction.atomic():
        notice.document_number = letter_number_next(
            NoticeNumberCounter,
            prefix=settings.NOTICE_NUMBER_PREFIX,
            year=today.year,
            letters=Notice.objects.all(),
            field="document_number",
        )
        notice.issued_on = today
        notice.save(update_fields=["document_number", "issued_on"])
    return notice


def objection_period_end(served_on: datetime.date) -> tuple[datetime.date, bool]:
    """The last day to object: OBJECTION_PERIOD_WORKDAYS working days after service."""
    return add_workdays_estimated(served_on, settings.OBJECTION_PERIOD_WORKDAYS)


def notice_record_service(
    *,
    notice: Notice,
    method: str,
    served_on: datetime.date,
    receipt: UploadedFile | None,
    note: str,
    user: AbstractBaseUser,
) -> Notice:
    """Record how and when the notice was served; the objection period runs from then."""
    if served_on > timezone.localdate():
        raise ValidationError(_("The service date cannot be in the future."))
    if receipt is not None:
        notice.receipt_content_type = check_evidence_upload(receipt)
        notice.receipt_name = receipt.name
        notice.receipt = receipt
    elif not notice.receipt and method != Notice.Method.ANNOUNCEMENT:
        raise ValidationError(_("Attach the receipt (a photo or PDF of the signed return)."))
    until, estimated = objection_period_end(served_on)
    notice.method = method
    notice.served_on = served_on
    notice.served_by = user
    notice.service_note = note
    notice.objection_until = until
    notice.objection_until_estimated = estimated
    notice.final_unopposed_on = until + datetime.timedelta(days=1)
    notice.save()
    return notice


def reviewer_recused_ids(notice: Notice) -> set[int]:
    """Users who may not review an objection against this notice: the inspectors of every case
    behind the rating and of the patrol each case came from."""
    cases = Case.objects.filter(pk__in=notice.case_ids)
    ids = set(cases.values_list("inspectors", flat=True))
    ids |= set(cases.values_list("source_patrol__inspectors", flat=True))
    ids.discard(None)
    return ids


def reviewer_check(notice: Notice, reviewer: AbstractBaseUser) -> None:
    if not is_supervisor(reviewer):
        raise ValidationError(_("The reviewer must be a supervisor."))
    if reviewer.pk in reviewer_recused_ids(notice):
        raise ValidationError(
            _("%(name)s worked on a case behind this rating and cannot review the objection.")
            % {"name": reviewer.get_full_name() or reviewer.get_username()}
        )


def objection_decision_due(received_on: datetime.date) -> tuple[datetime.date, bool]:
    return add_workdays_estimated(received_on, settings.OBJECTION_DECISION_WORKDAYS)


def objection_record(
    *,
    notice: Notice,
    received_on: datetime.date,
    channel: str,
    ground: str,
    text: str,
    reviewer: AbstractBaseUser,
    attachments: Iterable[UploadedFile] = (),
    user: AbstractBaseUser,
) -> Objection:
    """Record an objection and assign it to an uninvolved supervisor."""
    reviewer_check(notice, reviewer)
    if received_on > timezone.localdate():
        raise ValidationError(_("The date received cannot be in the future."))
    files = list(attachments)
    types = [check_evidence_upload(upload) for upload in files]
    due_on, estimated = objection_decision_due(received_on)
    with transaction.atomic():
        objection = Objection.objects.create(
            notice=notice,
            employer_id=notice.employer_id,
            received_on=received_on,
            channel=channel,
            ground=ground,
            text=text,
            reviewer=reviewer,
            decision_due_on=due_on,
            decision_due_estimated=estimated,
            recorded_by=user,
        )
        for upload, content_type in zip(files, types, strict=True):
            ObjectionAttachment.objects.create(
                objection=objection,
                file=upload,
                original_name=upload.name,
                content_type=content_type,
                size=upload.size,
            )
    return objection


def objection_decide(
    *,
    objection: Objection,
    outcome: str,
    reasons: str,
    decided_on: datetime.date,
    user: AbstractBaseUser,
    withdraw_cases: Iterable[Case] = (),
) -> Objection:
    """The reviewer's decision, numbered. An upheld objection is acted on by correcting the
    evidence: the cases it is upheld for are withdrawn here through the case service (the
    decision is the authority for it, whoever holds the case), other corrections on the case
    page; either reruns the rating the usual way."""
    withdraw_cases = list(withdraw_cases)
    if user.pk != objection.reviewer_id:
        raise ValidationError(_("Only the assigned reviewer decides this objection."))
    if not objection.is_open:
        raise ValidationError(_("This objection is already decided."))
    if outcome != Objection.Outcome.UPHELD and not reasons.strip():
        raise ValidationError(_("Give the reasons for the decision."))
    if decided_on < objection.received_on or decided_on > timezone.localdate():
        raise ValidationError(_("The decision date must be between receipt and today."))
    if withdraw_cases and outcome == Objection.Outcome.REJECTED:
        raise ValidationError(_("A rejected objection withdraws no case."))
    behind = set(objection.notice.case_ids)
    if any(case.pk not in behind for case in withdraw_cases):
        raise ValidationError(_("Only cases behind the rating can be withdrawn here."))
    with transaction.atomic():
        objection.decision_number = letter_number_next(
            ObjectionNumberCounter,
            prefix=settings.OBJECTION_NUMBER_PREFIX,
            year=decided_on.year,
            letters=Objection.objects.all(),
            field="decision_number",
        )
        objection.outcome = outcome
        objection.reasons = reasons
        objection.decided_on = decided_on
        objection.save()
        for case in withdraw_cases:
            case_withdraw(
                case=case,
                reason=_("Objection upheld by decision %(number)s: %(reasons)s")
                % {"number": objection.decision_number, "reasons": reasons},
                user=user,
            )
    return objection
