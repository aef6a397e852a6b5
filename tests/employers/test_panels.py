"""The employer page's panels come from one ordered list (xiqing_credit/panels.py)."""

from django.conf import settings
from django.template.loader import get_template
from django.utils.module_loading import import_string

from employers.demo import demo_seeders
from employers.panels import employer_panels


def test_every_listed_panel_has_its_template_and_context_function() -> None:
    entries = import_string(settings.EMPLOYER_PAGE_PANELS)
    panels = employer_panels()
    assert [p.template_name for p in panels] == [template for template, _path in entries]
    for panel in panels:
        get_template(panel.template_name)
        assert callable(panel.context)


def test_the_rating_comes_first_and_training_last() -> None:
    names = [p.template_name for p in employer_panels()]
    assert names[0] == "ratings/rating_panel.html"
    assert names[-1] == "planning/training_panel.html"


def test_demo_seeders_run_in_the_listed_order() -> None:
    names = [f"{s.__module__}.{s.__name__}" for s in demo_seeders()]
    assert names == import_string(settings.DEMO_SEEDERS)
    # ratings rate what the evidence seeders left; coverage reads everything: it comes last
    assert names.index("ratings.demo.seed_ratings") > names.index(
        "inspections.demo.seed_inspections"
    )
    assert names[-1] == "supervision.demo.seed_coverage"
