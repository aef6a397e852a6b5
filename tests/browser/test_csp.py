"""Every page with the Content-Security-Policy enforced (script-src 'self', no inline script):
no violation is reported, so nothing the pages need is blocked."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_permission_matrix import MATRIX, kwargs_for, url_names, world  # noqa: F401

from .journey import login

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
                              + (e.sourceFile || '') + ':' + (e.lineNumber || ''));
});
"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 375, "height": 812}}


def test_policy_refuses_inline_scripts():
    policy = settings.CONTENT_SECURITY_POLICY
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'self'" in script_src and "unsafe-inline" not in script_src


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["own", "admin"])
def test_no_page_violates_the_policy(page, live_server, world, persona):  # noqa: F811
    user = world["personas"][persona]
    user.set_password("pass-word-123")
    user.save()
    page.add_init_script(RECORD_VIOLATIONS)
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    login(page, live_server, user.username)
    violations = []
    for name in url_names():
        if MATRIX[name][persona] != "OK" or name.endswith("export") or name == "logout":
            continue
        url = reverse(name, kwargs=kwargs_for(name, world))
        if url.endswith((".xlsx", ".pdf")) or "/api/" in url or "download" in name:
            continue
        response = page.goto(f"{live_server.url}{url}")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        found = page.evaluate("window.__cspViolations")
        violations += [f"{name} {url}: {v}" for v in found]
    violations += messages
    assert not violations, "\n".join(violations)
