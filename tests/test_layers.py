"""The floors of the layout (docs/architecture.md): each app imports only from the floors below
it, so the import graph has no cycles and a newcomer knows where each rule may live."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import any app on a lower floor, never one on its own floor or above.
FLOORS: list[tuple[str, ...]] = [
    ("core",),
    ("imports",),
    ("employers",),
    ("inspections",),
    ("complaints",),
    ("ratings",),
    ("planning", "partners"),
    ("supervision",),
    ("xiqing_credit",),
]
FLOOR_OF = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & set(FLOOR_OF)


def _app_files(app: str) -> list[Path]:
    return [path for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts]


@pytest.mark.parametrize("app", sorted(FLOOR_OF))
def test_app_imports_only_from_lower_floors(app: str) -> None:
    floor = FLOOR_OF[app]
    wrong = [
        f"{path.relative_to(ROOT)} imports {other}"
        for path in _app_files(app)
        for other in sorted(_imported_apps(path))
        if other != app and FLOOR_OF[other] >= floor
    ]
    assert not wrong, "\n".join(wrong)


def test_every_project_app_has_a_floor() -> None:
    from django.conf import settings

    ours = {name for name in settings.INSTALLED_APPS if (ROOT / name / "apps.py").exists()}
    assert ours <= set(FLOOR_OF), ours - set(FLOOR_OF)


def test_no_source_file_over_500_lines() -> None:
    long = []
    for app in FLOOR_OF:
        for path in _app_files(app):
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > 500:
                long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert not long, long
