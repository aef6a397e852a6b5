"""The ratings app listens to the evidence records it rates (SPEC section 5).

Floors below (employers, inspections) must not import ratings; they change records, and this
module reruns the affected employers after the change commits. The rerun is synchronous and
in-process, so it needs no broker: a rating is current as soon as the page that changed a
record has been answered.
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save

from employers.models import Employer
from employers.signals import employers_imported
from inspections.models import Case
from inspections.signals import cases_changed_in_bulk

from .services import employer_rerate, employers_rerate_bulk

log = logging.getLogger(__name__)

# Measure models of the inspections app that may hang off a case (a ``case`` foreign key);
# each that exists is subscribed too. Evidence files carry no facts the rules read.
MEASURE_MODEL_NAMES = ("CorrectionOrder", "HandlingDecision", "Penalty", "CaseMeasure")


def _rerate_on_commit(employer_ids: Iterable[int | None], cause: str) -> None:
    for employer_id in {pk for pk in employer_ids if pk is not None}:
        # robust: the record is already committed; a failing rerun is logged and caught by
        # the daily sweep (``rerate --due`` also rates employers left without a rating).
        transaction.on_commit(
            partial(employer_rerate, employer_id=employer_id, cause=cause), robust=True
        )


def _remember_employer(sender: type[models.Model], instance: Case, **kwargs: object) -> None:
    # The employer a case was loaded with, so that moving a case reruns both employers.
    instance._rating_employer_id = instance.__dict__.get("employer_id")


def _case_saved(sender: type[models.Model], instance: Case, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixtures bring their own ratings, or a full rerate follows
        return
    _rerate_on_commit(
        (instance.employer_id, getattr(instance, "_rating_employer_id", None)), "case_changed"
    )
    instance._rating_employer_id = instance.employer_id


def _case_deleted(sender: type[models.Model], instance: Case, **kwargs) -> None:
    _rerate_on_commit((instance.employer_id,), "case_deleted")


def _measure_changed(sender: type[models.Model], instance: models.Model, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    employer_id = (
        Case.objects.filter(pk=instance.case_id).values_list("employer_id", flat=True).first()
    )
    _rerate_on_commit((employer_id,), "case_changed")


def _employer_saved(sender: type[models.Model], instance: Employer, created: bool, **kwargs):
    if created and not kwargs.get("raw"):
        _rerate_on_commit((instance.pk,), "employer_added")


def _bulk_rerate(employer_ids: Iterable[int], cause: str) -> None:
    ids = list(employer_ids)
    if ids:
        transaction.on_commit(
            partial(employers_rerate_bulk, employer_ids=ids, cause=cause), robust=True
        )


def _employers_imported(sender: object, employer_ids: Iterable[int] = (), **kwargs) -> None:
    _bulk_rerate(employer_ids, "roster_import")


def _cases_changed_in_bulk(sender: object, employer_ids: Iterable[int] = (), **kwargs) -> None:
    _bulk_rerate(employer_ids, "case_import")


def connect() -> None:
    """Subscribe to the record changes; called once from ``RatingsConfig.ready``."""
    uid = "ratings"
    post_init.connect(_remember_employer, sender=Case, dispatch_uid=f"{uid}-case-init")
    post_save.connect(_case_saved, sender=Case, dispatch_uid=f"{uid}-case-save")
    post_delete.connect(_case_deleted, sender=Case, dispatch_uid=f"{uid}-case-delete")
    for name in MEASURE_MODEL_NAMES:
        try:
            model = apps.get_model("inspections", name)
        except LookupError:
            continue
        post_save.connect(_measure_changed, sender=model, dispatch_uid=f"{uid}-{name}-save")
        post_delete.connect(_measure_changed, sender=model, dispatch_uid=f"{uid}-{name}-delete")
    post_save.connect(_employer_saved, sender=Employer, dispatch_uid=f"{uid}-employer-save")
    employers_imported.connect(_employers_imported, dispatch_uid=f"{uid}-roster")
    cases_changed_in_bulk.connect(_cases_changed_in_bulk, dispatch_uid=f"{uid}-cases-bulk")
