"""The ratings app listens to the evidence records it rates (SPEC section 5).

Floors below (employers, inspections) must not import ratings; they change records, and this
module reruns the affected employers after the change commits. The rerun is synchronous and
in-process, so it needs no broker: a rating is current as soon as the page that changed a
record has been answered.
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from employers.models import Employer
from employers.signals import employers_imported
from inspections.models import Case, Patrol
from inspections.signals import cases_changed_in_bulk

from .models import RatingHistory
from .patrol_due import patrol_due_refresh
from .services import employer_rerate, employers_rerate_bulk

log = logging.getLogger(__name__)

Cause = RatingHistory.Cause


def _rerate_on_commit(employer_ids: Iterable[int | None], cause: str) -> None:
    for employer_id in {pk for pk in employer_ids if pk is not None}:
        # robust: the record is already committed; a failing rerun is logged and caught by
        # the daily sweep (``rerate --due`` also rates employers left without a rating).
        transaction.on_commit(
            partial(employer_rerate, employer_id=employer_id, cause=cause), robust=True
        )


def _case_saving(sender: type[models.Model], instance: Case, raw: bool = False, **kwargs) -> None:
    """Before an existing case is saved, the employer it is stored with: moving a case to
    another employer reruns both. One query, and only for a case that already exists."""
    instance._rating_stored_employer_id = None
    if raw or instance.pk is None:
        return
    instance._rating_stored_employer_id = (
        Case.objects.filter(pk=instance.pk).values_list("employer_id", flat=True).first()
    )


def _case_saved(sender: type[models.Model], instance: Case, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixtures bring their own ratings, or a full rerate follows
        return
    stored = getattr(instance, "_rating_stored_employer_id", None)
    _rerate_on_commit((instance.employer_id, stored), Cause.CASE_CHANGED)


def _case_deleted(sender: type[models.Model], instance: Case, **kwargs) -> None:
    _rerate_on_commit((instance.employer_id,), Cause.CASE_DELETED)


def _employer_saved(sender: type[models.Model], instance: Employer, created: bool, **kwargs):
    if created and not kwargs.get("raw"):
        _rerate_on_commit((instance.pk,), Cause.EMPLOYER_ADDED)


def _patrol_changed(sender: type[models.Model], instance: Patrol, raw: bool = False, **kwargs):
    """A patrol moves its employer's next patrol due date (the rating is not rerun)."""
    if raw or instance.employer_id is None:
        return
    transaction.on_commit(
        partial(patrol_due_refresh, employer_ids=[instance.employer_id]), robust=True
    )


def _bulk_rerate(employer_ids: Iterable[int], cause: str) -> None:
    ids = list(employer_ids)
    if ids:
        transaction.on_commit(
            partial(employers_rerate_bulk, employer_ids=ids, cause=cause), robust=True
        )


def _employers_imported(sender: object, employer_ids: Iterable[int] = (), **kwargs) -> None:
    _bulk_rerate(employer_ids, Cause.ROSTER_IMPORT)


def _cases_changed_in_bulk(sender: object, employer_ids: Iterable[int] = (), **kwargs) -> None:
    _bulk_rerate(employer_ids, Cause.CASE_IMPORT)


def connect() -> None:
    """Subscribe to the record changes; called once from ``RatingsConfig.ready``."""
    uid = "ratings"
    pre_save.connect(_case_saving, sender=Case, dispatch_uid=f"{uid}-case-pre-save")
    post_save.connect(_case_saved, sender=Case, dispatch_uid=f"{uid}-case-save")
    post_delete.connect(_case_deleted, sender=Case, dispatch_uid=f"{uid}-case-delete")
    post_save.connect(_employer_saved, sender=Employer, dispatch_uid=f"{uid}-employer-save")
    post_save.connect(_patrol_changed, sender=Patrol, dispatch_uid=f"{uid}-patrol-save")
    post_delete.connect(_patrol_changed, sender=Patrol, dispatch_uid=f"{uid}-patrol-delete")
    employers_imported.connect(_employers_imported, dispatch_uid=f"{uid}-roster")
    cases_changed_in_bulk.connect(_cases_changed_in_bulk, dispatch_uid=f"{uid}-cases-bulk")
