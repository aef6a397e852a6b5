"""Navigation by role.

Each entry names a URL; an entry whose URL is not installed is left out, so the menu only ever
offers pages that exist and the role may open.
"""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role, roles_of

# (label, url name, roles that see it)
NAVIGATION = [
    (_("My day"), "planning:my_day", {Role.INSPECTOR}),
    (_("Employers"), "employers:list", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Patrols"), "inspections:patrol_list", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (
        _("Written reviews"),
        "inspections:review_list",
        {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN},
    ),
    (_("Cases"), "inspections:case_list", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Complaints"), "complaints:list", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Watchlist"), "planning:watchlist", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Early warning"), "ratings:early_warning", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    # the notices due and overdue, with the objections one click away
    (_("Rating notices"), "ratings:notice_list", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Patrols due"), "planning:patrols_due", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Coverage"), "supervision:dashboard", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (_("Training"), "planning:training_list", {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
    (
        _("Random inspection draws"),
        "planning:draw_list",
        {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN},
    ),
    (_("Yearly evaluation"), "ratings:yearly", {Role.SUPERVISOR, Role.ADMIN}),
]

# Entries gathered under one menu each, so the bar fits a desktop screen on one line; the others
# stand on the bar. A menu keeps the position of its first entry.
MENUS = [
    (
        _("Records"),
        (
            "inspections:patrol_list",
            "inspections:review_list",
            "inspections:case_list",
            "complaints:list",
        ),
    ),
    (
        _("Planning"),
        (
            "planning:watchlist",
            "planning:patrols_due",
            "ratings:early_warning",
            "ratings:notice_list",
            "planning:training_list",
            "planning:draw_list",
            "ratings:yearly",
        ),
    ),
]

# Administration pages, gathered under one menu so the bar stays short.
ADMIN_NAVIGATION = [
    (_("Users"), "employers:staff_users", {Role.ADMIN}),
    (_("Imports"), "employers:import_list", {Role.ADMIN}),
    (_("Case ledger import"), "inspections:case_import", {Role.ADMIN}),
    (_("Patrol intervals"), "planning:intervals", {Role.ADMIN}),
    (_("Partner API keys"), "partners:partner_keys", {Role.ADMIN}),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = roles_of(user)
    items = _items(request, NAVIGATION, roles)
    return {
        "nav_items": items,
        "nav_bar": _bar(items),
        "admin_nav_items": _items(request, ADMIN_NAVIGATION, roles),
        "user_roles": roles,
    }


def _items(request: HttpRequest, entries: list, roles: set[str]) -> list[dict]:
    items = []
    for label, url_name, allowed in entries:
        if not roles & allowed:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": label,
                "url": url,
                "url_name": url_name,
                "active": request.path.startswith(url) and url != "/",
            }
        )
    return items


def _bar(items: list[dict]) -> list[dict]:
    """The bar: single entries, and menus (``label``, ``entries``) where MENUS gathers them.
    Not ``items``: a template would read that as the dict method."""
    menu_of = {name: label for label, names in MENUS for name in names}
    bar: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        label = menu_of.get(item["url_name"])
        if label is None:
            bar.append(item)
            continue
        if label not in menus:
            menus[label] = {"label": label, "entries": [], "active": False}
            bar.append(menus[label])
        menus[label]["entries"].append(item)
        menus[label]["active"] |= item["active"]
    return bar
