"""The project run in a child process under an environment of its own: production settings
(``xiqing_credit.settings.base``) read the environment once, at import, and the test settings
deliberately relax them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path: Path, **extra: str | None) -> dict[str, str]:
    """The environment of a production process: no DJANGO_DEBUG, secret and hosts given; an
    ``extra`` value of None leaves that variable out."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="xiqing_credit.settings.base",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(extra)
    return {key: value for key, value in env.items() if value is not None}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-c", code], env, timeout=120)


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``manage.py`` with these arguments, from the project's folder."""
    return _run([sys.executable, "manage.py", *args], env, timeout=300)


def _run(command: list[str], env: dict[str, str], timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
