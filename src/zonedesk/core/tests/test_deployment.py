"""Deployment: the production server behind a TLS proxy, the browser security headers, ``check --deploy``."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

from zonedesk.core.deployment import waitress_options

PACKAGE = Path(__file__).resolve().parents[2]  # src/zonedesk
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ZONEDESK_TRUSTED_PROXIES"}}
    env.update(
        DJANGO_SETTINGS_MODULE="zonedesk.config.settings.production",
        ZONEDESK_SECRET_KEY=secrets.token_urlsafe(48),
        ZONEDESK_DATA_DIR=str(tmp_path),
        ZONEDESK_ALLOWED_HOSTS="127.0.0.1,localhost",
        ZONEDESK_LOG_FORMAT="text",
        **extra,
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def production_server(tmp_path):
    """`zonedesk serve` with the production settings and 127.0.0.1 as the trusted proxy, on a loopback port."""
    port = _free_port()
    code = f"import sys; from zonedesk.cli import main; sys.exit(main(['serve', '--port', '{port}']))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=_production_env(tmp_path, ZONEDESK_TRUSTED_PROXIES="127.0.0.1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):  # at most 60 s for the server to listen
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read().decode() if proc.stdout else "the server stopped")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _get(port: int, source: str, path: str = "/healthz") -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    conn.request("GET", path, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_https_from_the_trusted_proxy_is_served_and_from_anyone_else_redirected(production_server):
    from_proxy = _get(production_server, "127.0.0.1")
    assert from_proxy.status == 200
    assert from_proxy.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    # Another peer claims https too: waitress clears its X-Forwarded-Proto, Django redirects to https.
    from_elsewhere = _get(production_server, "127.0.0.2")
    assert from_elsewhere.status == 301
    assert from_elsewhere.getheader("Location") == "https://127.0.0.1:%d/healthz" % production_server


def test_waitress_options_only_with_a_trusted_proxy():
    with override_settings(ZONEDESK_TRUSTED_PROXIES=""):
        assert waitress_options() == {}
    with override_settings(ZONEDESK_TRUSTED_PROXIES="127.0.0.1", ZONEDESK_TRUSTED_PROXY_COUNT=1):
        assert waitress_options() == {
            "trusted_proxy": "127.0.0.1",
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": "x-forwarded-proto x-forwarded-for",
            "clear_untrusted_proxy_headers": True,
        }


def test_several_proxy_addresses_are_refused_in_chinese():
    from django.core.exceptions import ImproperlyConfigured

    with (
        override_settings(ZONEDESK_TRUSTED_PROXIES="10.0.0.1,10.0.0.2"),
        pytest.raises(ImproperlyConfigured) as exc,
    ):
        waitress_options()
    assert (
        str(exc.value)
        == "ZONEDESK_TRUSTED_PROXIES 只能填写一个代理地址（waitress 只信任一个地址），而不是“10.0.0.1,10.0.0.2”"
    )


@pytest.mark.parametrize("proxy", ["", "127.0.0.1"])
def test_check_deploy_with_the_production_settings_is_clean(tmp_path, proxy):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path, ZONEDESK_TRUSTED_PROXIES=proxy),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_proxy_ssl_header_is_believed_only_with_a_trusted_proxy(tmp_path):
    code = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    outputs = []
    for proxy in ["", "127.0.0.1"]:
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            env=_production_env(tmp_path, ZONEDESK_TRUSTED_PROXIES=proxy),
            capture_output=True,
            text=True,
            timeout=120,
        )
        outputs.append(result.stdout.strip())
    assert outputs == ["None", "('HTTP_X_FORWARDED_PROTO', 'https')"]


def test_every_page_carries_csp_permissions_and_referrer_policy(client):
    response = client.get("/login/")
    assert response.status_code == 200
    directives = sorted(d.strip() for d in response["Content-Security-Policy"].split(";"))
    assert directives == sorted(CSP.split("; "))  # django-csp orders the directives as it likes
    assert response["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=(), payment=()")
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_handlers_or_styles():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|\son[a-z]+\s*=|\sstyle\s*=|<style")
    found = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if inline.search(line)
    ]
    assert found == []
