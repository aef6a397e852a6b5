"""Forms of the ground floor's pages (entering a year's official days), and the Bootstrap look
every form and filter bar shares."""

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import OfficialDay
from core.services import OfficialDayInput

# Bootstrap's class of a widget by its input type; any other input is a form-control.
_BOOTSTRAP_CLASS = {"select": "form-select", "checkbox": "form-check-input"}


def style_widgets(form: forms.BaseForm, *, choice_lists: bool = True) -> None:
    """Give each widget of ``form`` that has no class Bootstrap's: form-select on selects,
    form-check-input on check boxes, form-control on the rest. ``choice_lists=False`` leaves
    radio buttons and lists of check boxes alone, for templates that lay them out themselves."""
    for field in form.fields.values():
        widget = field.widget
        if not choice_lists and isinstance(widget, forms.RadioSelect):
            continue  # CheckboxSelectMultiple is a RadioSelect too
        css = _BOOTSTRAP_CLASS.get(getattr(widget, "input_type", ""), "form-control")
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    """A form with Bootstrap's classes on its widgets (``style_widgets``), so templates can
    render its fields in a loop."""

    style_choice_lists = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, choice_lists=self.style_choice_lists)


# The words a notice or a spreadsheet uses for the two kinds; the first of each is what the page
# writes back when it pre-fills the box.
KIND_WORDS = {
    OfficialDay.Kind.HOLIDAY: ("holiday", "休", "假", "放假", "假日", "节假日", "h"),
    OfficialDay.Kind.WORKDAY: ("workday", "班", "上班", "补班", "调休上班", "make-up", "w"),
}
_KIND_BY_WORD = {word.lower(): kind for kind, words in KIND_WORDS.items() for word in words}
_LINE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[\s,，;；\t]+(\S+)\s*(.*)$")
MAX_LINES = 120  # a notice has some 30-40 days off and a handful of make-up days


def official_days_as_lines(days: list[OfficialDay]) -> str:
    """The box's text for rows already in the table, in the form the box reads back."""
    return "\n".join(
        f"{day.date.isoformat()} {KIND_WORDS[day.kind][0]} {day.name}".rstrip() for day in days
    )


class OfficialDaysForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Source notice"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=gettext_lazy("The State Council notice, e.g. 国办发明电〔2026〕N号."),
    )
    lines = forms.CharField(
        label=gettext_lazy("Days"),
        widget=forms.Textarea(
            attrs={"rows": 14, "spellcheck": "false", "class": "form-control font-monospace"}
        ),
        help_text=gettext_lazy(
            "One day per line: date, kind, name, e.g. “2027-01-01 holiday 元旦” or "
            "“2027-02-20 workday 春节”. Kinds: holiday (休), workday (班, a make-up working day). "
            "List every day off that falls on Monday to Friday and every make-up Saturday or "
            "Sunday; the other days follow the plain week."
        ),
    )

    def __init__(self, *args: object, year: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_lines(self) -> list[OfficialDayInput]:
        text: str = self.cleaned_data["lines"]
        rows = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(rows) > MAX_LINES:
            raise forms.ValidationError(
                _("At most %(max)s lines, one per day.") % {"max": MAX_LINES}
            )
        days: list[OfficialDayInput] = []
        errors: list[str] = []
        seen: dict[datetime.date, int] = {}
        for number, line in rows:
            day, error = self._parse(number, line)
            if error:
                errors.append(error)
                continue
            if day.date in seen:
                errors.append(
                    _("Line %(line)s: %(date)s is already on line %(first)s.")
                    % {"line": number, "date": day.date.isoformat(), "first": seen[day.date]}
                )
                continue
            seen[day.date] = number
            days.append(day)
        if errors:
            raise forms.ValidationError(errors[:20])
        if not days:
            raise forms.ValidationError(_("Enter at least one day."))
        return sorted(days, key=lambda day: day.date)

    def _parse(self, number: int, line: str) -> tuple[OfficialDayInput | None, str]:
        match = _LINE.match(line)
        if not match:
            return None, _(
                "Line %(line)s: “%(text)s” is not “date kind name”, e.g. “%(year)s-01-01 holiday 元旦”."
            ) % {"line": number, "text": line.strip()[:60], "year": self.year}
        year, month, day_of_month, word, name = match.groups()
        try:
            date = datetime.date(int(year), int(month), int(day_of_month))
        except ValueError:
            return None, _("Line %(line)s: %(text)s is not a date.") % {
                "line": number,
                "text": f"{year}-{month}-{day_of_month}",
            }
        if abs(date.year - self.year) > 1 or (date.year != self.year and not _at_year_edge(date)):
            return None, _("Line %(line)s: %(date)s is not in %(year)s.") % {
                "line": number,
                "date": date.isoformat(),
                "year": self.year,
            }
        kind = _KIND_BY_WORD.get(word.lower())
        if kind is None:
            return None, _(
                "Line %(line)s: “%(word)s” is neither holiday (休) nor workday (班)."
            ) % {"line": number, "word": word[:20]}
        return OfficialDayInput(date=date, kind=kind, name=name.strip()[:60]), ""


def _at_year_edge(date: datetime.date) -> bool:
    # A notice may start 元旦 in the last days of December or list a make-up day in early January.
    return (date.month == 12 and date.day >= 25) or (date.month == 1 and date.day <= 7)
