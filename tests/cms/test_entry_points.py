"""
The wiring's entry points, loaded as a server loads them: in a fresh process, configured only by the environment.

gunicorn and ASGI servers get the production settings unless told otherwise; `manage.py` gets development ones.
"""

import subprocess
import sys

import pytest

from tests.core.test_deploy_check import PROJECT_DIR, TIMEOUT_SECONDS, production_environment

SHOW_SETTINGS = (
    "import {module}; from django.conf import settings; "
    "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.RESPONSE_CACHE_ENABLED)"
)


def run_without_settings_module(tmp_path, *args: str, **overrides: str) -> subprocess.CompletedProcess:
    """Run Python with `args` in the production environment, minus DJANGO_SETTINGS_MODULE: the defaults decide."""
    environment = production_environment(tmp_path, **overrides)
    del environment["DJANGO_SETTINGS_MODULE"]
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def load(tmp_path, module: str, **overrides: str) -> subprocess.CompletedProcess:
    """Import `module` (cms.wsgi or cms.asgi) as a server would, and print the settings it chose."""
    return run_without_settings_module(tmp_path, "-c", SHOW_SETTINGS.format(module=module), **overrides)


@pytest.mark.parametrize("module", ["cms.wsgi", "cms.asgi"])
def test_servers_default_to_the_production_settings(tmp_path, module):
    result = load(tmp_path, module)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cms.settings.production", "False", "False"]


@pytest.mark.parametrize("module", ["cms.wsgi", "cms.asgi"])
def test_a_server_without_a_secret_key_refuses_to_start(tmp_path, module):
    result = load(tmp_path, module, SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment for production" in result.stderr


@pytest.mark.parametrize("value", ["true", "1", "on"])
def test_production_refuses_debug(tmp_path, value):
    result = load(tmp_path, "cms.wsgi", DEBUG=value)

    assert result.returncode != 0
    assert "DEBUG must not be on in production" in result.stderr


def test_manage_py_defaults_to_the_development_settings(tmp_path):
    result = run_without_settings_module(tmp_path, "manage.py", "diffsettings", "--output", "unified")

    assert result.returncode == 0, result.stderr
    assert "SETTINGS_MODULE = 'cms.settings.dev'" in result.stdout


def test_without_redis_the_response_cache_is_off_not_per_process(tmp_path):
    """Each process's own memory would go on serving what another process (cron, a second worker) changed."""
    with_redis = load(tmp_path, "cms.wsgi", REDIS_URL="redis://127.0.0.1:6379/0")
    forced = load(tmp_path, "cms.wsgi", RESPONSE_CACHE_ENABLED="true")

    assert with_redis.returncode == 0, with_redis.stderr
    assert with_redis.stdout.split()[-1] == "True"
    assert forced.returncode != 0
    assert "RESPONSE_CACHE_ENABLED needs REDIS_URL" in forced.stderr
