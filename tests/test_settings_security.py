"""Security hardening (issue 8): production settings, login throttling, passwords, sessions,
CSRF, security headers and personal data in logs.

Production settings are checked in a subprocess: ``xiqing_credit.settings.base`` reads the
environment once at import, and the test settings deliberately relax it.
"""

import json
import logging
import re
import secrets

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from core.roles import Role
from tests.conftest import make_user
from tests.processes import BASE_DIR, production_env, run_manage, run_python
from xiqing_credit.logging import PersonalDataFilter, mask_personal_data
from xiqing_credit.security import client_ip

LOGIN_URL = "/accounts/login/"
AXES_ON = {
    "AXES_ENABLED": True,
    "AUTHENTICATION_BACKENDS": [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ],
}


CHECK_DEPLOY = """
import django
django.setup()
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
"""


# --- production settings -------------------------------------------------------------------


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_python(CHECK_DEPLOY, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_fails_when_hsts_is_switched_off(tmp_path):
    # The same check catches a weakened deployment: the test above could fail.
    result = run_python(CHECK_DEPLOY, production_env(tmp_path, DJANGO_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_check_deploy_rejects_a_weak_fallback_key(tmp_path):
    result = run_python(CHECK_DEPLOY, production_env(tmp_path, DJANGO_SECRET_KEY_FALLBACKS="short"))
    assert result.returncode != 0
    assert "SECRET_KEY_FALLBACKS" in result.stderr


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param(
            "import django; django.setup()",
            "ImproperlyConfigured: DJANGO_SECRET_KEY is not set",
            id="a-clear-startup-error",
        ),
        # the serving process refuses too
        pytest.param("import xiqing_credit.wsgi", "DJANGO_SECRET_KEY is not set", id="wsgi"),
    ],
)
def test_missing_secret_key_refuses_to_start(tmp_path, code, message):
    result = run_python(code, production_env(tmp_path, DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert message in result.stderr


def test_missing_secret_key_is_fine_in_debug_mode(tmp_path):
    env = production_env(tmp_path, DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None)
    result = run_python("import django; django.setup(); print('started')", env)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_settings_values(tmp_path):
    old_key = secrets.token_urlsafe(64)
    code = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_AGE": s.SESSION_COOKIE_AGE,
    "SESSION_EXPIRE_AT_BROWSER_CLOSE": s.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "AXES_ENABLED": s.AXES_ENABLED,
    "AXES_FAILURE_LIMIT": s.AXES_FAILURE_LIMIT,
    "AUTHENTICATION_BACKENDS": s.AUTHENTICATION_BACKENDS,
    "SECRET_KEY_FALLBACKS": s.SECRET_KEY_FALLBACKS,
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_WORKER_HIJACK_ROOT_LOGGER": s.CELERY_WORKER_HIJACK_ROOT_LOGGER,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
}))
"""
    result = run_python(code, production_env(tmp_path, DJANGO_SECRET_KEY_FALLBACKS=old_key))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert values["AXES_ENABLED"] is True
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert values["SECRET_KEY_FALLBACKS"] == [old_key]
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_WORKER_HIJACK_ROOT_LOGGER"] is False
    assert values["ALLOWED_HOSTS"] == ["example.org"]


def test_signed_values_survive_a_key_rotation(tmp_path):
    """A value signed with the old key still verifies after the rotation (docs/operations.md)."""
    old_key = secrets.token_urlsafe(64)
    sign = (
        "import django; django.setup(); from django.core import signing; print(signing.dumps('x'))"
    )
    signed = run_python(sign, production_env(tmp_path, DJANGO_SECRET_KEY=old_key))
    assert signed.returncode == 0, signed.stderr
    token = signed.stdout.strip()
    verify = (
        "import django; django.setup(); from django.core import signing; "
        f"print(signing.loads({token!r}))"
    )
    rotated = run_python(verify, production_env(tmp_path, DJANGO_SECRET_KEY_FALLBACKS=old_key))
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "x"
    dropped = run_python(verify, production_env(tmp_path))
    assert dropped.returncode != 0
    assert "BadSignature" in dropped.stderr


# --- login throttling ----------------------------------------------------------------------


def post_login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def four_wrong_passwords(username: str) -> Client:
    """A client that failed to log in as a new supervisor four times, each time told why."""
    make_user(username, Role.SUPERVISOR)
    client = Client()
    for _attempt in range(4):
        response = post_login(client, username, "wrong-password-1")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    return client


@pytest.mark.django_db
@override_settings(**AXES_ON)
def test_five_wrong_passwords_lock_the_account():
    client = four_wrong_passwords("locked_inspector")
    fifth = post_login(client, "locked_inspector", "wrong-password-1")
    assert fifth.status_code == 429
    # Locked: even the right password does not log in now.
    locked = post_login(client, "locked_inspector", "pass-word-123")
    assert locked.status_code == 429
    assert "账号已被暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/employers/").status_code == 302


@pytest.mark.django_db
@override_settings(**AXES_ON)
def test_four_wrong_passwords_then_the_right_one_logs_in():
    client = four_wrong_passwords("careful_supervisor")
    response = post_login(client, "careful_supervisor", "pass-word-123")
    assert response.status_code == 302
    assert client.get("/employers/").status_code == 200


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1, **AXES_ON)
def test_lockout_behind_a_proxy_is_per_client_address():
    """Behind the reverse proxy, one attacker does not lock out colleagues on other machines."""
    make_user("shared_name", Role.SUPERVISOR)
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _attempt in range(5):
        post_login(attacker, "shared_name", "wrong-password-1")
    assert post_login(attacker, "shared_name", "pass-word-123").status_code == 429
    colleague = Client(HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert post_login(colleague, "shared_name", "pass-word-123").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_ignores_spoofed_forwarded_entries():
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7", REMOTE_ADDR="172.18.0.5"
    )
    # The client wrote 1.1.1.1 itself; the proxy appended the address it saw.
    assert client_ip(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_client_ip_without_a_proxy_is_the_socket_address():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.1.1.1", REMOTE_ADDR="192.0.2.4")
    assert client_ip(request) == "192.0.2.4"


# --- passwords and sessions ----------------------------------------------------------------


@pytest.mark.django_db
def test_add_user_rejects_a_weak_password():
    with pytest.raises(CommandError, match="password rejected"):
        call_command("add_user", "weakling", "--role", "supervisor", "--password", "12345678")
    assert not get_user_model().objects.filter(username="weakling").exists()


@pytest.mark.django_db
def test_add_user_keeps_the_old_password_when_a_new_one_is_weak(supervisor):
    with pytest.raises(CommandError):
        call_command("add_user", supervisor.username, "--role", "supervisor", "--password", "1234")
    supervisor.refresh_from_db()
    assert supervisor.check_password("pass-word-123")


@pytest.mark.django_db
def test_add_user_accepts_a_strong_password(capsys):
    call_command("add_user", "chief", "--role", "admin", "--password", "Liqizhuang-2026-audit")
    user = get_user_model().objects.get(username="chief")
    assert user.check_password("Liqizhuang-2026-audit")
    assert "password=" not in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["12345678", "password123", "qwertyuiop"])
def test_user_creation_form_rejects_weak_passwords(weak):
    form = UserCreationForm(data={"username": "chief", "password1": weak, "password2": weak})
    assert not form.is_valid()
    assert "password2" in form.errors


@pytest.mark.django_db
def test_session_expires_after_a_working_day_and_with_the_browser():
    make_user("day_shift", Role.SUPERVISOR)
    client = Client()
    assert post_login(client, "day_shift", "pass-word-123").status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 3600
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["max-age"] == ""  # a browser-session cookie, not a persistent one


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_post_without_csrf_token_is_refused():
    make_user("csrf_user", Role.SUPERVISOR)
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, "csrf_user", "pass-word-123")
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_post_with_csrf_token_is_accepted():
    make_user("csrf_user", Role.SUPERVISOR)
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        LOGIN_URL,
        {"username": "csrf_user", "password": "pass-word-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout_and_language_posts_without_token_are_refused(supervisor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/accounts/logout/").status_code == 403
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403
    assert client.get("/employers/").status_code == 200  # still logged in


def _all_patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_no_browser_view_is_exempt_from_csrf():
    """Only the token-authenticated partner API (no cookies, so nothing to forge) may skip CSRF."""
    from rest_framework.views import APIView

    exempt = []
    for route, callback in _all_patterns(get_resolver()):
        if not getattr(callback, "csrf_exempt", False):
            continue
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            continue
        exempt.append(route)
    assert exempt == []


def test_partner_api_does_not_authenticate_with_the_session_cookie():
    # Were it to, the CSRF exemption of API views would matter.
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == []


# --- headers -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_security_headers_on_pages():
    response = Client().get(LOGIN_URL)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in policy
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_header_on_https_requests():
    response = Client().get(LOGIN_URL, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_templates_load_nothing_from_other_origins():
    """The content security policy allows this origin only: no CDN links anywhere."""
    external = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//")
    offenders = [
        str(template.relative_to(BASE_DIR))
        for template in BASE_DIR.glob("**/templates/**/*.html")
        if ".venv" not in template.parts and external.search(template.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- personal data in logs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("投诉人电话 13812345678", "投诉人电话 138****5678"),
        ("phone=+86 139-1234-5678.", "phone=139****5678."),
        ("8613912345678", "139****5678"),
        ("座机 022-23456789 转", "座机 ****6789 转"),
        ("身份证 12010419900307123X", "身份证 ****************3X"),
        ("id=120104199003071234,", "id=****************34,"),
    ],
)
def test_personal_numbers_are_masked(raw, masked):
    assert mask_personal_data(raw) == masked


@pytest.mark.parametrize(
    "kept",
    [
        "credit code 911201117706402073",  # an enterprise's public code
        "credit code 92370102MA3M9AG94X",
        "case 西青人社监〔2026〕013号 amount 138123.45",
        "order id 9138123456789012",  # 16 digits: not a phone, not an ID
        "rows=100000 elapsed=2026-11-29",
    ],
)
def test_public_identifiers_are_not_masked(kept):
    assert mask_personal_data(kept) == kept


def test_filter_masks_arguments_and_tracebacks():
    try:
        raise ValueError("bad phone 13700001111")
    except ValueError:
        import sys as _sys

        record = logging.LogRecord(
            "complaints",
            logging.ERROR,
            __file__,
            1,
            "complainant %s, ID %s",
            ("13912345678", "120104199003071234"),
            _sys.exc_info(),
        )
    assert PersonalDataFilter().filter(record) is True
    output = logging.Formatter().format(record)
    assert "13912345678" not in output
    assert "120104199003071234" not in output
    assert "13700001111" not in output
    assert "139****5678" in output and "137****1111" in output


def test_every_configured_handler_masks_personal_data():
    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "personal_data" in handler.get("filters", []), name
    assert settings.LOGGING["filters"]["personal_data"]["()"] == (
        "xiqing_credit.logging.PersonalDataFilter"
    )


def test_production_log_output_has_no_phone_numbers(tmp_path):
    code = """
import logging
import django
django.setup()
logging.getLogger("complaints.services").warning("complaint from %s", "13812345678")
logging.getLogger("django.request").error("Bad request: /complaints/?q=120104199003071234")
"""
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "complaint from 138****5678" in result.stderr
    assert "13812345678" not in result.stderr
    assert "120104199003071234" not in result.stderr
    assert "****************34" in result.stderr


def test_manage_py_commands_run_without_the_secret_key(tmp_path):
    """Scripts call management commands with only DATABASE_URL set; they sign nothing that
    outlives the process. The serving processes still refuse (test above)."""
    result = run_manage("migrate", "-v0", env=production_env(tmp_path, DJANGO_SECRET_KEY=None))
    assert result.returncode == 0, result.stderr
