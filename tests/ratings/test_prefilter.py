"""The full rerate's SQL prefilter agrees with the rules: an employer it leaves out is one whose
rating the rules would not change.

On generated districts (cases with any mix of measures, deadlines, remedies and flags), rated on
one day, some cases then edited, and looked at again on a later day: every employer whose
rating the engine (the rules) changes on the later day is among the prefilter's candidates.
"""

import datetime

from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from inspections.models import Case
from ratings.models import Rating
from ratings.services import employers_rerate_bulk
from ratings.services.prefilter import rerate_candidate_ids, unchanged_ratings
from tests.factories import CaseFactory, EmployerFactory

D = datetime.date
DAY = datetime.timedelta(days=1)
RATED_ON = D(2026, 6, 15)


def _days(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=low, max_value=high)


@st.composite
def case_specs(draw) -> dict:
    """One case as field values, dates relative to the first rating day; every date on or
    after the one it must follow (the database's date-order constraints)."""
    opened = RATED_ON - draw(_days(0, 500)) * DAY
    decided = draw(st.one_of(st.none(), _days(0, 60)))
    spec: dict = {"opened_on": opened, "withdrawn": draw(st.booleans())}
    for flag in ("mass_incident", "criminal", "serious"):
        spec[flag] = draw(st.booleans())
    if spec["serious"]:
        spec["serious_reason"] = "reason"
    if decided is None:
        return spec
    decided_on = min(opened + decided * DAY, RATED_ON)
    spec["decided_on"] = decided_on
    spec["penalty_issued"] = draw(st.booleans())
    for issued, deadline, done in (
        ("order_issued", "order_deadline", "order_rectified_on"),
        ("decision_issued", "decision_deadline", "decision_fulfilled_on"),
    ):
        if not draw(st.booleans()):
            continue
        spec[issued] = True
        spec[deadline] = draw(
            st.one_of(st.none(), _days(0, 300).map(lambda n: decided_on + n * DAY))
        )
        remedy = draw(st.one_of(st.none(), _days(0, 400)))
        if remedy is not None:
            spec[done] = min(decided_on + remedy * DAY, RATED_ON)
    return spec


district = st.lists(st.lists(case_specs(), max_size=4), min_size=1, max_size=5)


class PrefilterAgreesWithRules(TestCase):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        employers=district,
        later=_days(0, 500),
        edited=st.lists(st.booleans(), min_size=5, max_size=5),
    )
    def test_left_out_employers_keep_their_rating(self, employers, later, edited):
        ids = []
        for specs in employers:
            employer = EmployerFactory()
            ids.append(employer.pk)
            for spec in specs:
                CaseFactory(employer=employer, **spec)
        employers_rerate_bulk(employer_ids=ids, cause="full", today=RATED_ON)
        # Editing a case after the rating (a rectification recorded today, say) is a change of
        # the facts: those employers must be candidates whatever their dates say.
        touched = {pk for pk, edit in zip(ids, edited, strict=False) if edit}
        for case in Case.objects.filter(employer_id__in=touched):
            case.save()
        day = RATED_ON + later * DAY
        candidates = set(rerate_candidate_ids(today=day)) & set(ids)
        assert {pk for pk in touched if Case.objects.filter(employer_id=pk).exists()} <= (
            candidates
        )
        before = {r.employer_id: r for r in Rating.objects.filter(employer_id__in=ids)}
        employers_rerate_bulk(employer_ids=ids, cause="full", today=day)
        after = {r.employer_id: r for r in Rating.objects.filter(employer_id__in=ids)}
        changed = {pk for pk in ids if after[pk].computed_at != before[pk].computed_at}
        assert changed <= candidates, (changed - candidates, day)


def test_unchanged_ratings_need_the_current_rule_set_and_no_newer_case(db, settings):
    employer = EmployerFactory()
    CaseFactory(employer=employer)
    employers_rerate_bulk(employer_ids=[employer.pk], cause="full", today=RATED_ON)
    assert unchanged_ratings(today=RATED_ON).filter(employer=employer).exists()
    # a case recorded after the rating
    Case.objects.filter(employer=employer).update(updated_at=F("updated_at") + DAY * 400)
    assert not unchanged_ratings(today=RATED_ON).filter(employer=employer).exists()
    Case.objects.filter(employer=employer).update(updated_at=F("updated_at") - DAY * 800)
    # another rule set
    settings.RATING_RULESET_VERSION = "other"
    assert not unchanged_ratings(today=RATED_ON).filter(employer=employer).exists()


def test_full_rerate_with_nothing_changed_evaluates_nobody(db, django_assert_max_num_queries):
    employers = [EmployerFactory() for _ in range(3)]
    CaseFactory(employer=employers[0])
    employers_rerate_bulk(cause="full", today=RATED_ON)
    assert rerate_candidate_ids(today=RATED_ON) == []
    # the candidate query and the employer count: nothing else, whatever the district's size
    with django_assert_max_num_queries(2):
        summary = employers_rerate_bulk(cause="full", today=RATED_ON)
    assert (summary.rated, summary.changed) == (3, 0)
