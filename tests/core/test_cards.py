"""Phone cards (core/cards.py): which column plays which part, in which order, and the title
without the credit code it prints in brackets."""

from django.utils.safestring import mark_safe

from core.cards import DATE, EXTRA, HIDE, TITLE, Card, title_html

COLUMNS = ["unit", "name", "last_patrol", "next_due", "clauses", "training"]
CARD = Card(title="name", dates=("next_due", "last_patrol"), extra=("training", "clauses"))


def test_roles_hide_every_column_the_spec_does_not_name():
    roles = CARD.roles(COLUMNS)
    assert roles == {
        "unit": HIDE,
        "name": TITLE,
        "last_patrol": DATE,
        "next_due": DATE,
        "clauses": EXTRA,
        "training": EXTRA,
    }


def test_positions_follow_the_spec_not_the_table():
    positions = CARD.positions(COLUMNS)
    # the next patrol due first on the card although the table shows the last patrol first
    assert positions["next_due"] == 0 and positions["last_patrol"] == 1
    assert positions["training"] == 0 and positions["clauses"] == 1


def test_title_marks_the_trailing_credit_code():
    cell = mark_safe(
        '<a href="/employers/91120111000000001Q/">天津华宇物流有限公司 (91120111000000001Q)</a>'
    )
    assert title_html(cell) == (
        '<a href="/employers/91120111000000001Q/">天津华宇物流有限公司 '
        '<span class="card-title-code">(91120111000000001Q)</span></a>'
    )


def test_title_leaves_other_brackets_and_escapes_plain_text():
    # a bracket that is not a credit code stays in the name
    assert title_html("天津华宇（集团）有限公司") == "天津华宇（集团）有限公司"
    # a plain string is text, not markup
    assert title_html("<b>A&B</b> (91120111000000001Q)") == (
        '&lt;b&gt;A&amp;B&lt;/b&gt; <span class="card-title-code">(91120111000000001Q)</span>'
    )
