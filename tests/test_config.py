"""The settings object: every JIENENG_* variable parsed and checked once, defaults in one place."""

import dataclasses
from pathlib import Path

import pytest
from django.test import override_settings

from jieneng import config
from jieneng.config import SettingError, Settings, from_environ

ROOT = Path(__file__).parents[1]
CHONGQING = ROOT / "docs" / "examples" / "chongqing.toml"


def test_defaults_without_any_variable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chosen = from_environ({})
    assert chosen.data_dir == tmp_path / "var"
    assert chosen.boundaries_dir == tmp_path / "var" / "boundaries"
    assert chosen.database_url is None and chosen.secret_key is None
    assert (chosen.debug, chosen.secure_cookies, chosen.allowed_hosts) == (False, False, ())
    assert (chosen.login_failures, chosen.dashboard_cache_seconds) == (5, 600)
    assert chosen.inline_import_bytes == 1024 * 1024
    assert (chosen.coefficient_set, chosen.lang) == ("public-institution", "zh-hans")
    database = chosen.database()
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == tmp_path / "var" / "jieneng.sqlite3"


def test_every_variable_is_read(tmp_path):
    environ = {
        "JIENENG_DATA_DIR": str(tmp_path),
        "JIENENG_DATABASE_URL": "postgresql://jn:p%40ss@db.example:5433/jieneng",
        "JIENENG_SECRET_KEY": "k" * 50,
        "JIENENG_DEBUG": "TRUE",
        "JIENENG_ALLOWED_HOSTS": " jieneng.example.gov.cn, ,.example.gov.cn ",
        "JIENENG_SECURE_COOKIES": "1",
        "JIENENG_LOGIN_FAILURES": "3",
        "JIENENG_COEFFICIENT_SET": str(CHONGQING),
        "JIENENG_BOUNDARIES_DIR": str(tmp_path / "maps"),
        "JIENENG_DASHBOARD_CACHE_SECONDS": "0",
        "JIENENG_INLINE_IMPORT_BYTES": "2048",
        "JIENENG_LANG": "EN",
        "JIENENG_HTTPS_REDIRECT": "yes",
        "JIENENG_PROXY_HTTPS_HEADER": "on",
        "JIENENG_HSTS_SECONDS": "3600",
        "JIENENG_HSTS_INCLUDE_SUBDOMAINS": "1",
        "JIENENG_HSTS_PRELOAD": "0",
        "JIENENG_CSRF_TRUSTED_ORIGINS": "https://jieneng.example.gov.cn/, http://10.0.0.5:8080",
        "JIENENG_LOG_FORMAT": "JSON",
        "JIENENG_WORKER_HEARTBEAT_SECONDS": "30",
        "JIENENG_PG_BINDIR": str(tmp_path / "pg"),
        "JIENENG_EMISSION_FACTOR_SET": "mee-enterprise-grid",
        "JIENENG_CO2_BASIS": "Market",
        "JIENENG_CO2_FACTOR_YEAR": "lag2",
        "JIENENG_MONITORING_ENGINE": "spark",
        "JIENENG_IMPORT_MAX_ROWS": "500",
        "JIENENG_IMPORT_MAX_COLUMNS": "60",
        "JIENENG_IMPORT_MAX_CELLS": "30000",
        "JIENENG_IMPORT_MAX_TEXT_CHARS": "100",
        "JIENENG_IMPORT_MAX_UNPACKED_BYTES": "1000000",
        "JIENENG_IMPORT_MEMORY_BYTES": str(1 << 30),
        "JIENENG_IMPORT_READ_SECONDS": "20",
        "JIENENG_ATTACHMENT_MAX_MB": "5",
        "JIENENG_EMAIL_HOST": "mail.example.gov.cn",
        "JIENENG_EMAIL_FROM": "jieneng@example.gov.cn",
    }
    chosen = from_environ(environ)
    assert (chosen.attachment_max_mb, chosen.email_host, chosen.email_from) == (
        5,
        "mail.example.gov.cn",
        "jieneng@example.gov.cn",
    )
    limits = (chosen.import_max_rows, chosen.import_max_columns, chosen.import_max_cells)
    assert limits == (500, 60, 30_000)
    assert (chosen.import_max_text_chars, chosen.import_max_unpacked_bytes) == (100, 1_000_000)
    assert (chosen.import_memory_bytes, chosen.import_read_seconds) == (1 << 30, 20)
    assert chosen.data_dir == tmp_path and chosen.boundaries_dir == tmp_path / "maps"
    assert chosen.database()["HOST"] == "db.example" and chosen.database()["PASSWORD"] == "p@ss"
    assert chosen.secret_key == "k" * 50
    assert (chosen.debug, chosen.secure_cookies) == (True, True)
    assert chosen.allowed_hosts == ("jieneng.example.gov.cn", ".example.gov.cn")
    assert (chosen.login_failures, chosen.dashboard_cache_seconds, chosen.inline_import_bytes) == (3, 0, 2048)
    assert chosen.coefficient_set == str(CHONGQING)
    assert chosen.lang == "en"
    assert (chosen.https_redirect, chosen.proxy_https_header) == (True, True)
    assert (chosen.hsts_seconds, chosen.hsts_include_subdomains, chosen.hsts_preload) == (3600, True, False)
    assert chosen.csrf_trusted_origins == ("https://jieneng.example.gov.cn", "http://10.0.0.5:8080")
    assert (chosen.log_format, chosen.worker_heartbeat_seconds) == ("json", 30)
    assert chosen.pg_bindir == tmp_path / "pg"
    assert (chosen.emission_factor_set, chosen.co2_basis, chosen.co2_factor_year) == (
        "mee-enterprise-grid",
        "market",
        "lag2",
    )
    assert chosen.monitoring_engine == "spark"
    assert {spec.env for spec in map(config.spec_of, dataclasses.fields(Settings))} == set(environ)


def test_co2_settings_refuse_what_they_cannot_use():
    for name, text in (
        ("JIENENG_EMISSION_FACTOR_SET", "no-such-set"),
        ("JIENENG_CO2_BASIS", "average"),
        ("JIENENG_CO2_FACTOR_YEAR", "last"),
    ):
        with pytest.raises(SettingError) as caught:
            from_environ({name: text})
        assert name in str(caught.value)


def test_blank_is_unset_and_chinese_spellings_are_one_language():
    assert from_environ({"JIENENG_LOGIN_FAILURES": "  ", "JIENENG_DEBUG": ""}).login_failures == 5
    for spelling in ("zh", "zh-CN", "zh_CN", "zh-Hans", "ZH_HANS"):
        assert from_environ({"JIENENG_LANG": spelling}).lang == "zh-hans"


@pytest.mark.parametrize(
    ("variable", "value", "accepts"),
    [
        ("JIENENG_DEBUG", "maybe", "1, true, yes or on; 0, false, no or off"),
        ("JIENENG_LOGIN_FAILURES", "five", "a whole number ≥ 1"),
        ("JIENENG_LOGIN_FAILURES", "0", "a whole number ≥ 1"),
        ("JIENENG_DASHBOARD_CACHE_SECONDS", "-1", "a whole number of seconds ≥ 0"),
        ("JIENENG_INLINE_IMPORT_BYTES", "1.5", "a whole number of bytes ≥ 0"),
        ("JIENENG_DATABASE_URL", "mysql://x/y", "sqlite:///ABSOLUTE/PATH.sqlite3 or postgresql://"),
        ("JIENENG_DATABASE_URL", "postgresql://db.example/", "postgresql://USER[:PASSWORD]@HOST"),
        ("JIENENG_COEFFICIENT_SET", "gbt2589-1990", "a built-in coefficient set (electricity-equal-value"),
        ("JIENENG_COEFFICIENT_SET", "missing.toml", "or a .toml file's path"),
        ("JIENENG_LANG", "fr", "zh-hans or en"),
        ("JIENENG_ALLOWED_HOSTS", "a.example,b example", "host names separated by commas"),
        ("JIENENG_LOG_FORMAT", "xml", "text or json"),
        ("JIENENG_CSRF_TRUSTED_ORIGINS", "jieneng.example.gov.cn", "origins separated by commas"),
        ("JIENENG_CSRF_TRUSTED_ORIGINS", "https://a.example/path", "origins separated by commas"),
        ("JIENENG_WORKER_HEARTBEAT_SECONDS", "2", "a whole number of seconds ≥ 4"),
    ],
)
def test_a_bad_value_names_the_variable_the_value_and_what_it_accepts(variable, value, accepts):
    with pytest.raises(SettingError) as raised:
        from_environ({variable: value})
    message = str(raised.value)
    assert message.startswith(f"{variable}: got {value!r}; expected ")
    assert accepts in message


def test_the_secret_key_is_never_shown():
    chosen = from_environ({"JIENENG_SECRET_KEY": "do-not-print-me"})
    assert "do-not-print-me" not in repr(chosen)


def test_the_object_is_frozen_and_a_copy_is_checked_too():
    chosen = from_environ({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        chosen.debug = True  # type: ignore[misc]
    assert chosen.replace(dashboard_cache_seconds=0).dashboard_cache_seconds == 0
    assert chosen.dashboard_cache_seconds == 600
    with pytest.raises(SettingError, match=r"JIENENG_DASHBOARD_CACHE_SECONDS: got -5; expected"):
        chosen.replace(dashboard_cache_seconds=-5)
    with pytest.raises(SettingError, match="JIENENG_DEBUG"):
        chosen.replace(debug="yes")


def test_django_exposes_the_object_and_current_follows_overrides(settings):
    from django.conf import settings as django_settings

    assert isinstance(django_settings.JIENENG, Settings)
    assert config.current() is django_settings.JIENENG
    assert config.current().login_failures == django_settings.AXES_FAILURE_LIMIT
    assert django_settings.DATABASES["default"]["ENGINE"] == config.current().database()["ENGINE"]
    changed = config.current().replace(dashboard_cache_seconds=7)
    with override_settings(JIENENG=changed):
        assert config.current().dashboard_cache_seconds == 7
    settings.JIENENG = settings.JIENENG.replace(inline_import_bytes=3)
    assert config.current().inline_import_bytes == 3
