"""The employer page's panels, top to bottom: one list, one file.

The page itself belongs to the employers app, which cannot import the apps above it; each entry
names a template and the dotted path of its context function ``(request, employer) -> dict | None``
(``None`` hides the panel for this user). ``settings.EMPLOYER_PAGE_PANELS`` points here.
To add a panel: write the template and the context function in your app, add one line below.
"""

EMPLOYER_PANELS: list[tuple[str, str]] = [
    ("ratings/rating_panel.html", "ratings.panels.rating_panel"),
    ("inspections/panels/patrols.html", "inspections.panels.patrols_panel"),
    ("inspections/panels/cases.html", "inspections.panels.cases_panel"),
    ("inspections/panels/reviews.html", "inspections.panels.reviews_panel"),
    ("complaints/_employer_panel.html", "complaints.panels.complaints_panel"),
    ("planning/training_panel.html", "planning.panels.training_panel_context"),
]
