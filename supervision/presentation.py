"""How a check's figure reads to a user, shared by the dashboard, the export and the command."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .checks import CHECKS_BY_CODE
from .models import CheckCode, CoverageCheck


def _number(value: Decimal) -> str:
    """12 rather than 12.00; 87.5 rather than 87.50."""
    text = f"{value.normalize():f}"
    return text


def figure_text(check: CoverageCheck) -> str:
    """The figure with what it is held to, e.g. "3 (≥5)", "87.5% (≥90%)", "2 of 15 overdue"."""
    definition = CHECKS_BY_CODE.get(check.code)
    figure = _number(check.figure)
    threshold = _number(check.threshold)
    if check.code == CheckCode.NEW_EMPLOYERS:
        return _("%(figure)s (≥%(threshold)s)") % {"figure": figure, "threshold": threshold}
    if definition is not None and definition.percent:
        return _("%(figure)s%% (≥%(threshold)s%%)") % {"figure": figure, "threshold": threshold}
    if check.total == 0:
        return _("no C employers")
    if check.total is not None:
        return _("%(figure)s of %(total)s overdue") % {"figure": figure, "total": check.total}
    return _("%(figure)s overdue") % {"figure": figure}


def subject_count_text(check: CoverageCheck, count: int) -> str:
    if check.code == CheckCode.NEW_EMPLOYERS:
        return _("%(count)s employers added") % {"count": count}
    if check.code == CheckCode.VERIFIED:
        return _("%(count)s employers not verified in 12 months") % {"count": count}
    if check.code == CheckCode.C_PATROLLED:
        return _("%(count)s C employers overdue for a patrol") % {"count": count}
    if check.code == CheckCode.COMPLAINTS:
        return _("%(count)s complaints past a deadline") % {"count": count}
    return _("%(count)s returned reviews past their deadline") % {"count": count}
