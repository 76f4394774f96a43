"""ServerSettings accept what people type, refuse the rest in one line, and deny by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.web.settings import ServerSettings, ServerSettingsError, load_server_settings, split_list

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("REGASSIST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no .env of the project


def test_defaults_deny():
    s = load_server_settings()
    assert s.allowed_origins == [] and s.trusted_proxies == [] and s.allowed_hosts == []
    assert s.host == "127.0.0.1" and s.admin_token is None and s.workers == 1


@pytest.mark.parametrize(
    "value,expected",
    [
        ("http://intranet:8080", ["http://intranet:8080"]),
        ("http://a:1, https://b.example", ["http://a:1", "https://b.example"]),
        ("http://a:1 https://b.example/", ["http://a:1", "https://b.example"]),
        ('["http://a:1", "https://*.corp.example"]', ["http://a:1", "https://*.corp.example"]),
        ("http://localhost:*", ["http://localhost:*"]),
        ("*", ["*"]),
        ("", []),
    ],
)
def test_origins_as_typed(monkeypatch, value, expected):
    monkeypatch.setenv("REGASSIST_ALLOWED_ORIGINS", value)
    assert load_server_settings().allowed_origins == expected


@pytest.mark.parametrize(
    "var,value,says",
    [
        ("REGASSIST_ALLOWED_ORIGINS", "intranet:8080", "not an origin"),
        ("REGASSIST_ALLOWED_ORIGINS", '["http://a", ', "not a JSON list"),
        ("REGASSIST_ALLOWED_ORIGINS", "ftp://x", "not an origin"),
        ("REGASSIST_TRUSTED_PROXIES", "10.0.0.300", "not an IP address"),
        ("REGASSIST_ALLOWED_HOSTS", "bad host!", "not a host name"),
        ("REGASSIST_PORT", "seventy", "REGASSIST_PORT"),
        ("REGASSIST_PORT", "70000", "REGASSIST_PORT"),
        ("REGASSIST_WORKERS", "0", "REGASSIST_WORKERS"),
        ("REGASSIST_LOG_LEVEL", "loud", "REGASSIST_LOG_LEVEL"),
        ("REGASSIST_ADMIN_TOKEN", "short", "at least 16"),
    ],
)
def test_bad_values_give_one_line(monkeypatch, var, value, says):
    monkeypatch.setenv(var, value)
    with pytest.raises(ServerSettingsError) as err:
        load_server_settings()
    text = str(err.value)
    assert "\n" not in text and var in text and says in text
    if "TOKEN" in var:
        assert value not in text  # secrets are never printed


def test_proxies_and_hosts(monkeypatch):
    monkeypatch.setenv("REGASSIST_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/24")
    monkeypatch.setenv("REGASSIST_ALLOWED_HOSTS", "regassist.intranet,*.corp.example")
    s = load_server_settings()
    assert [str(n) for n in s.proxy_networks] == ["10.0.0.5/32", "192.168.0.0/24"]
    assert s.allowed_hosts == ["regassist.intranet", "*.corp.example"]


def test_overrides_win_and_none_is_ignored(monkeypatch):
    monkeypatch.setenv("REGASSIST_PORT", "8123")
    assert load_server_settings(port=None).port == 8123
    assert load_server_settings(port=9000).port == 9000


def test_split_list():
    assert split_list(None) == [] and split_list(["a ", "", "b"]) == ["a", "b"]
    assert ServerSettings(allowed_origins="http://a:1,http://b:2").allowed_origins == ["http://a:1", "http://b:2"]


def test_serve_with_a_bad_value_prints_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGASSIST_")}
    env.update(REGASSIST_ALLOWED_ORIGINS="intranet:8080", PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "assistant.web.cli", "serve", "--port", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert run.stderr.startswith("regassist serve: REGASSIST_ALLOWED_ORIGINS 'intranet:8080'")
