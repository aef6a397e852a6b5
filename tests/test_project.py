"""Project wiring: the production container set, error pages and the health check.

Docker cannot run in the test environment; these tests keep Dockerfile, docker-compose.yml and
the settings consistent with each other instead.
"""

import json
import re
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver, path
from django.utils import translation

import xiqing_credit.urls
from tests.processes import production_env, run_manage
from xiqing_credit import views

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
APP_SERVICES = ("web", "worker", "beat")

# Names the process reads that are not Django settings: Django itself, gunicorn's config.
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT"}


def names_read_by_settings() -> set[str]:
    """Environment variable names read in xiqing_credit/settings/ and deploy/."""
    pattern = re.compile(
        r"""(?:os\.environ\.get|os\.getenv|os\.environ\.setdefault|env_bool|env_list|env_int)"""
        r"""\(\s*["']([A-Z][A-Z0-9_]*)["']|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
    )
    names: set[str] = set()
    sources = [*(BASE_DIR / "xiqing_credit" / "settings").glob("*.py")]
    sources += [*(BASE_DIR / "deploy").glob("*.py")]
    for source in sources:
        for match in pattern.finditer(source.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names | READ_OUTSIDE_SETTINGS


def compose_app_environment() -> dict[str, str]:
    """The application containers' environment, read from the x-app-environment block.

    Plain text on purpose: PyYAML is not a dependency of the project.
    """
    text = COMPOSE.read_text(encoding="utf-8")
    block = re.search(r"^x-app-environment: &app-environment\n((?:[ ]{2}.*\n|\n)+)", text, re.M)
    assert block, "docker-compose.yml has no x-app-environment block"
    environment = {}
    for line in block.group(1).splitlines():
        match = re.match(r"^  ([A-Z][A-Z0-9_]*): (.*)$", line)
        if match:
            environment[match.group(1)] = match.group(2)
    return environment


# PyYAML is not a dependency of the project; Debian's python3-yaml (installed by .ci/run) reads
# the file in a subprocess when the virtualenv has no yaml module.
SYSTEM_PYTHON = "/usr/bin/python3"
YAML_TO_JSON = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"


@pytest.fixture(scope="module")
def compose() -> dict:
    text = COMPOSE.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:
        if not Path(SYSTEM_PYTHON).exists():
            pytest.skip("no YAML parser: install python3-yaml")
        result = subprocess.run(
            [SYSTEM_PYTHON, "-c", YAML_TO_JSON], input=text, capture_output=True, text=True
        )
        if "No module named 'yaml'" in result.stderr:
            pytest.skip("no YAML parser: install python3-yaml")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)
    return yaml.safe_load(text)


# --- docker-compose.yml --------------------------------------------------------------------


def test_compose_runs_the_production_set(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])


def test_compose_commands(compose):
    services = compose["services"]
    assert services["web"]["command"] == ["web"]
    worker = " ".join(services["worker"]["command"])
    beat = " ".join(services["beat"]["command"])
    assert worker.startswith("celery -A xiqing_credit worker")
    assert beat.startswith("celery -A xiqing_credit beat")
    for name in APP_SERVICES:
        assert services[name]["build"] == "."
        assert services[name]["image"] == "xiqing-credit:latest"


def test_compose_app_services_share_environment_and_media(compose):
    services = compose["services"]
    media_root = services["web"]["environment"]["DJANGO_MEDIA_ROOT"]
    for name in APP_SERVICES:
        assert services[name]["environment"] == services["web"]["environment"]
        assert f"media:{media_root}" in services[name]["volumes"]
    assert "DATABASE_URL" in services["worker"]["environment"]
    assert services["web"]["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
    assert "@postgres:5432/" in services["web"]["environment"]["DATABASE_URL"]


def test_compose_start_order(compose):
    services = compose["services"]
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    # Worker and beat wait for the web container, which runs the migrations.
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_every_compose_variable_is_read_by_the_settings():
    environment = compose_app_environment()
    unknown = sorted(set(environment) - names_read_by_settings())
    assert unknown == [], f"docker-compose.yml sets variables nothing reads: {unknown}"


def test_compose_requires_the_secrets():
    environment = compose_app_environment()
    for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        assert environment[required].startswith("${" + required + ":?"), required
    assert ":?" in environment["DATABASE_URL"]  # POSTGRES_PASSWORD
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_MEDIA_ROOT", "EMAIL_HOST"):
        assert name in environment
    assert "DJANGO_DEBUG" not in environment


def test_compose_variables_are_documented():
    """Every ${VARIABLE} an operator may set in .env is explained in docs/deployment.md."""
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    documented = (BASE_DIR / "docs" / "deployment.md").read_text(encoding="utf-8")
    missing = sorted(name for name in used if f"`{name}`" not in documented)
    assert missing == []


# --- Dockerfile ----------------------------------------------------------------------------


def test_dockerfile_builds_a_non_root_gunicorn_image():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", text, re.M)
    assert "COPY pyproject.toml" in text and "RUN pip install ." in text
    assert "collectstatic --no-input" in text
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "EXPOSE 8000" in text
    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in text


def test_dockerfile_variables_are_read_by_the_settings():
    text = DOCKERFILE.read_text(encoding="utf-8")
    env_block = re.search(r"^ENV ((?:.*\\\n)*.*)$", text, re.M)
    assert env_block
    names = {name for name in re.findall(r"([A-Z][A-Z0-9_]*)=", env_block.group(1))}
    django_names = {name for name in names if name.startswith("DJANGO_")}
    assert django_names <= names_read_by_settings()


def test_dockerignore_keeps_secrets_and_local_data_out():
    ignored = set((BASE_DIR / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".git", ".venv", "db.sqlite3", "media", "staticfiles"} <= ignored


def test_entrypoint_migrates_then_serves():
    entrypoint = BASE_DIR / "deploy" / "entrypoint.sh"
    assert entrypoint.stat().st_mode & stat.S_IXUSR
    text = entrypoint.read_text(encoding="utf-8")
    assert text.index("migrate --no-input") < text.index("exec gunicorn")
    assert "deploy/gunicorn.conf.py" in text
    result = subprocess.run(["sh", "-n", str(entrypoint)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gunicorn_config():
    config: dict = {}
    exec(
        compile((BASE_DIR / "deploy" / "gunicorn.conf.py").read_text(), "gunicorn", "exec"), config
    )
    assert config["bind"] == "0.0.0.0:8000"
    assert config["workers"] >= 1
    # The access log leaves out query strings (%(q)s, %(r)s): searches can hold personal data.
    assert "%(q)s" not in config["access_log_format"]
    assert "%(r)s" not in config["access_log_format"]


def test_collectstatic_succeeds_with_production_storage(tmp_path):
    """The image build runs this step; the vendored files must post-process cleanly."""
    env = production_env(
        tmp_path,
        DJANGO_SECRET_KEY="build-only-not-used-at-runtime",
        DJANGO_ALLOWED_HOSTS=None,
        DJANGO_MEDIA_ROOT=None,
    )
    result = run_manage("collectstatic", "--no-input", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert list((tmp_path / "static" / "css").glob("site.*.css.gz"))


# --- health check --------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_check_needs_no_login():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_is_read_only():
    assert Client().post("/healthz").status_code == 405


# --- error pages ---------------------------------------------------------------------------


def _raises_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the database went away")


def _raises_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# This module doubles as a URLconf for the error tests: the project's URLs plus two that fail.
urlpatterns = [
    path("test-errors/500/", _raises_error),
    path("test-errors/403/", _raises_denied),
    *xiqing_credit.urls.urlpatterns,
]
handler500 = xiqing_credit.urls.handler500


def test_handler500_is_the_database_free_view():
    handler = get_resolver().resolve_error_handler(500)
    assert handler is views.server_error


@pytest.mark.django_db
def test_server_error_page_makes_no_queries(django_assert_num_queries):
    request = RequestFactory().get("/employers/")
    with django_assert_num_queries(0), translation.override("zh-hans"):
        response = views.server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出现错误" in body
    assert "返回首页" in body


def test_server_error_page_in_english():
    with translation.override("en"):
        body = views.server_error(RequestFactory().get("/")).content.decode()
    assert "Something went wrong on our side" in body


def test_server_error_page_survives_a_broken_template(monkeypatch):
    def broken(name: str) -> None:
        raise RuntimeError("template storage unreadable")

    monkeypatch.setattr(views.loader, "get_template", broken)
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.test_project")
def test_unhandled_exception_shows_the_friendly_500(client_lqz):
    client_lqz.raise_request_exception = False
    response = client_lqz.get("/test-errors/500/")
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
    assert "the database went away" not in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.test_project")
def test_permission_denied_page(client_lqz):
    response = client_lqz.get("/test-errors/403/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "您没有打开此页面的权限" in body
    assert "用人单位" in body  # the navigation is still there


@pytest.mark.django_db
def test_not_found_page_for_a_user(client_lqz, employer_ylq):
    # An employer of another unit is "not found" for this inspector: same friendly page.
    response = client_lqz.get(f"/employers/{employer_ylq.credit_code}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert employer_ylq.name not in body


@pytest.mark.django_db
def test_not_found_page_for_anonymous_visitors():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# --- make run ------------------------------------------------------------------------------


def make_recipe(target: str) -> list[str]:
    lines = (BASE_DIR / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_run_prints_the_logins_before_serving():
    recipe = make_recipe("run")
    steps = [
        next(i for i, line in enumerate(recipe) if word in line)
        for word in ("migrate", "seed_demo", "demo logins above", "runserver 127.0.0.1:$(PORT)")
    ]
    assert steps == sorted(steps)


def test_make_run_serves_on_8000_unless_told_another_port():
    makefile = (BASE_DIR / "Makefile").read_text()
    assert re.search(r"^PORT \?= 8000$", makefile, re.M)
    assert "http://127.0.0.1:$(PORT)/" in "\n".join(make_recipe("run"))


@pytest.mark.django_db
def test_seed_demo_prints_every_demo_login(capsys):
    from django.core.management import call_command

    from employers.demo import DEMO_PASSWORD, DEMO_USERS

    call_command("seed_demo", employers=5)
    output = capsys.readouterr().out
    assert f"demo logins (password {DEMO_PASSWORD})" in output
    for username, _name, role, _units in DEMO_USERS:
        assert re.search(rf"^\s+{username}\s+{role}$", output, re.M), username
