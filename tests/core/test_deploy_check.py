"""
Production settings, loaded as production loads them: in a fresh process, configured only by the environment.

`manage.py check --deploy --fail-level WARNING` passes with the variables production sets, and fails, naming the
check, as soon as one protection is switched off, so the guard is real. A request through the production
middleware gets HSTS on HTTPS and a redirect to HTTPS on plain HTTP.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 120
ONE_YEAR = 60 * 60 * 24 * 365


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """What a production host sets (README.md), and nothing from the test run's own environment."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        **overrides,
    }


def run_python(tmp_path: Path, *args: str, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=production_environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def deploy_check(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    return run_python(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", **overrides)


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = deploy_check(tmp_path)

    assert result.returncode == 0, result.stderr
    # The one silenced check is security.W019 (X-Frame-Options SAMEORIGIN, for Wagtail's preview): see base.py.
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert "WARNING" not in result.stderr


def test_the_deploy_check_fails_without_hsts(tmp_path):
    result = deploy_check(tmp_path, SECURE_HSTS_SECONDS="0")

    assert result.returncode == 1
    assert "(security.W004) You have not set a value for the SECURE_HSTS_SECONDS setting." in result.stderr


def test_the_deploy_check_names_every_other_protection_switched_off(tmp_path):
    """
    One process for all of them: each check judges its own setting, so each is reported on its own line.
    (DEBUG cannot be switched on at all: production refuses to start, see tests/cms/test_entry_points.py.)
    """
    result = deploy_check(
        tmp_path, SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false", SECRET_KEY="short-and-guessable"
    )

    assert result.returncode == 1
    assert set(re.findall(r"\((security\.W\d+)\)", result.stderr)) == {
        "security.W008",  # no redirect to HTTPS
        "security.W012",  # session cookie over plain HTTP
        "security.W016",  # CSRF cookie over plain HTTP
        "security.W009",  # a short SECRET_KEY
    }


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = deploy_check(tmp_path, SECRET_KEY="")

    assert result.returncode == 1
    assert "SECRET_KEY must be set in the environment for production." in result.stderr


REQUEST_THROUGH_PRODUCTION = """
import json

import django
from django.test import Client

django.setup()
client = Client()
https = client.get("/healthz", headers={"host": "example.com", "x-forwarded-proto": "https"})
http = client.get("/healthz", headers={"host": "example.com"})
print(json.dumps({"https": [https.status_code, dict(https.headers)], "http": [http.status_code, dict(http.headers)]}))
"""


def test_production_sends_hsts_over_https_and_redirects_plain_http(tmp_path):
    result = run_python(tmp_path, "-c", REQUEST_THROUGH_PRODUCTION)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)

    https_status, https_headers = answers["https"]
    assert https_status == 200
    assert https_headers["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains; preload"
    assert "Content-Security-Policy" in https_headers
    http_status, http_headers = answers["http"]
    assert http_status == 301
    assert http_headers["Location"] == "https://example.com/healthz"
