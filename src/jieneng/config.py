"""The ``JIENENG_*`` settings: one frozen, validated object, read from the environment once.

Every setting is a field of :class:`Settings` with its default, the environment variable that sets it
and a description; ``docs/settings.md`` is generated from these fields by :func:`settings_markdown`.
:func:`from_environ` parses and checks every value at once: a bad value stops the program with an
error naming the variable, what it got and what it accepts, instead of failing later on some page.

Django's settings (:mod:`jieneng.web.settings`) build their own values from this object and expose it
as ``settings.JIENENG``; code reads it through :func:`current`, so a test changes a value with
``settings.JIENENG = settings.JIENENG.replace(…)`` (pytest-django's ``settings``, or
``override_settings(JIENENG=…)``). This module imports no Django: the command line reads the same
object before (or without) Django.

Regenerate the docs with ``python -m jieneng.config --write-docs docs/settings.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from jieneng.core.carbon import BASES, RULE_TEXT
from jieneng.reference import DEFAULT_COEFFICIENT_SET, builtin_coefficient_sets
from jieneng.reference.emissions import DEFAULT_EMISSION_FACTOR_SET, builtin_emission_factor_sets

DOCS_PATH = "docs/settings.md"
DEFAULT_LANGUAGE = "zh-hans"
LANGUAGES = ("zh-hans", "en")
_LANGUAGE_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-hans-cn": "zh-hans"}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class SettingError(ValueError):
    """A setting with a value it does not accept: names the variable, the value and what it accepts."""

    def __init__(self, variable: str, value: object, accepts: str) -> None:
        self.variable, self.value, self.accepts = variable, value, accepts
        super().__init__(f"{variable}: got {value!r}; expected {accepts}")


# --- kinds of value: how a variable's text is read, and which values are accepted ------------------


@dataclass(frozen=True)
class Flag:
    accepts: str = "1, true, yes or on; 0, false, no or off"

    def parse(self, text: str) -> bool:
        word = text.lower()
        if word not in (*_TRUE, *_FALSE):
            raise ValueError(text)
        return word in _TRUE

    def valid(self, value: object) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Whole:
    minimum: int
    unit: str = ""

    @property
    def accepts(self) -> str:
        return f"a whole number{' of ' + self.unit if self.unit else ''} ≥ {self.minimum}"

    def parse(self, text: str) -> int:
        return int(text, 10)

    def valid(self, value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= self.minimum


@dataclass(frozen=True)
class Text:
    accepts: str = "any text"

    def parse(self, text: str) -> str:
        return text

    def valid(self, value: object) -> bool:
        return isinstance(value, str) and bool(value)


@dataclass(frozen=True)
class Folder:
    accepts: str = "a folder's path"

    def parse(self, text: str) -> Path:
        return Path(text).expanduser()

    def valid(self, value: object) -> bool:
        return isinstance(value, Path)


@dataclass(frozen=True)
class HostNames:
    accepts: str = "host names separated by commas, e.g. jieneng.example.gov.cn,.example.gov.cn"

    def parse(self, text: str) -> tuple[str, ...]:
        return tuple(host.strip() for host in text.split(",") if host.strip())

    def valid(self, value: object) -> bool:
        return isinstance(value, tuple) and all(
            isinstance(host, str) and host and not any(c.isspace() or c == "/" for c in host)
            for host in value
        )


@dataclass(frozen=True)
class DatabaseURL:
    accepts: str = "sqlite:///ABSOLUTE/PATH.sqlite3 or postgresql://USER[:PASSWORD]@HOST[:PORT]/NAME"

    def parse(self, text: str) -> str:
        database_from_url(text)
        return text

    def valid(self, value: object) -> bool:
        try:
            return isinstance(value, str) and bool(database_from_url(value))
        except ValueError:
            return False


@dataclass(frozen=True)
class CoefficientSetRef:
    @property
    def accepts(self) -> str:
        return f"a built-in coefficient set ({', '.join(builtin_coefficient_sets())}) or a .toml file's path"

    def parse(self, text: str) -> str:
        return text

    def valid(self, value: object) -> bool:
        if not isinstance(value, str) or not value:
            return False
        return value in builtin_coefficient_sets() or (value.endswith(".toml") and Path(value).is_file())


@dataclass(frozen=True)
class Language:
    accepts: str = f"{' or '.join(LANGUAGES)} (also zh, zh-CN, zh_CN)"

    def parse(self, text: str) -> str:
        code = language_code(text)
        if code is None:
            raise ValueError(text)
        return code

    def valid(self, value: object) -> bool:
        return value in LANGUAGES


@dataclass(frozen=True)
class EmissionFactorSetRef:
    @property
    def accepts(self) -> str:
        sets = ", ".join(builtin_emission_factor_sets())
        return f"a built-in emission-factor set ({sets}) or a .toml file's path"

    def parse(self, text: str) -> str:
        return text

    def valid(self, value: object) -> bool:
        if not isinstance(value, str) or not value:
            return False
        return value in builtin_emission_factor_sets() or (value.endswith(".toml") and Path(value).is_file())


@dataclass(frozen=True)
class Choice:
    choices: tuple[str, ...]

    @property
    def accepts(self) -> str:
        return " or ".join(self.choices)

    def parse(self, text: str) -> str:
        return text.strip().lower()

    def valid(self, value: object) -> bool:
        return value in self.choices


@dataclass(frozen=True)
class Origins:
    accepts: str = (
        "origins separated by commas, each scheme://host[:port], e.g. https://jieneng.example.gov.cn"
    )

    def parse(self, text: str) -> tuple[str, ...]:
        return tuple(origin.strip().rstrip("/") for origin in text.split(",") if origin.strip())

    def valid(self, value: object) -> bool:
        if not isinstance(value, tuple):
            return False
        for origin in value:
            parts = urlsplit(origin) if isinstance(origin, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                return False
        return True


@dataclass(frozen=True)
class FactorYear:
    accepts: str = "latest, lagN (the reporting year minus N, e.g. lag2) or a data year (e.g. 2021)"

    def parse(self, text: str) -> str:
        return text.strip().lower()

    def valid(self, value: object) -> bool:
        return isinstance(value, str) and RULE_TEXT.match(value) is not None


Kind = (
    Flag
    | Whole
    | Text
    | Folder
    | HostNames
    | DatabaseURL
    | CoefficientSetRef
    | EmissionFactorSetRef
    | Choice
    | FactorYear
    | Language
    | Origins
)


@dataclass(frozen=True)
class Spec:
    """What the docs and the errors say about a field: its variable, what it does, which values it takes.

    ``default_text`` describes a default computed when the settings are read (``None`` fields)."""

    env: str
    kind: Kind
    description: str
    default_text: str = ""


def spec(env: str, kind: Kind, description: str, default_text: str = "") -> dict[str, Spec]:
    """A field's metadata: ``field(default=…, metadata=spec(…))``."""
    return {"setting": Spec(env, kind, " ".join(description.split()), default_text)}


def spec_of(item: dataclasses.Field[Any]) -> Spec:
    found = item.metadata["setting"]
    if not isinstance(found, Spec):
        raise TypeError(f"{item.name}: its metadata is not a Spec")
    return found


def language_code(text: str) -> str | None:
    """A language code of ours for ``zh``, ``zh-CN``, ``zh_Hans``, ``EN``…; None for any other."""
    code = text.strip().lower().replace("_", "-")
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if code in LANGUAGES else None


# --- the settings -----------------------------------------------------------------------------------


def _default_data_dir() -> Path:
    return Path.cwd() / "var"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every `JIENENG_*` setting, checked when made; a field left `None` takes its computed default."""

    data_dir: Path = field(
        default_factory=_default_data_dir,
        metadata=spec(
            "JIENENG_DATA_DIR",
            Folder(),
            """Where the SQLite database, the generated secret key, the uploaded files (each import's file
            and full report, kept), the boundary files and the collected static files live.""",
            default_text="`var` in the folder the program starts in",
        ),
    )
    database_url: str | None = field(
        default=None,
        metadata=spec(
            "JIENENG_DATABASE_URL",
            DatabaseURL(),
            """The database. PostgreSQL in production; SQLite (in WAL mode) for the demo and a single
            office.""",
            default_text="SQLite at `jieneng.sqlite3` in the data folder",
        ),
    )
    secret_key: str | None = field(
        default=None,
        repr=False,
        metadata=spec(
            "JIENENG_SECRET_KEY",
            Text(),
            """Django's secret key, which signs sessions and CSRF tokens. Several web processes serving the
            same site need the same key.""",
            default_text="generated once and kept (mode 600) in `secret_key` in the data folder",
        ),
    )
    debug: bool = field(
        default=False,
        metadata=spec("JIENENG_DEBUG", Flag(), "Django's debug mode: never on a site that others can reach."),
    )
    allowed_hosts: tuple[str, ...] = field(
        default=(),
        metadata=spec(
            "JIENENG_ALLOWED_HOSTS",
            HostNames(),
            """The host names the site answers to besides 127.0.0.1 and localhost, which it always
            answers to (Django's `ALLOWED_HOSTS`; a leading dot takes in every subdomain).""",
        ),
    )
    secure_cookies: bool = field(
        default=False,
        metadata=spec(
            "JIENENG_SECURE_COOKIES",
            Flag(),
            "Behind HTTPS: the session and CSRF cookies are sent over HTTPS only.",
        ),
    )
    https_redirect: bool = field(
        default=False,
        metadata=spec(
            "JIENENG_HTTPS_REDIRECT",
            Flag(),
            """Behind HTTPS: a request that arrives over plain HTTP is redirected to HTTPS (Django's
            `SECURE_SSL_REDIRECT`; `/healthz` is exempt, so that a local probe may use HTTP).""",
        ),
    )
    proxy_https_header: bool = field(
        default=False,
        metadata=spec(
            "JIENENG_PROXY_HTTPS_HEADER",
            Flag(),
            """Behind a reverse proxy that terminates TLS: a request is HTTPS when the proxy's
            `X-Forwarded-Proto` header says `https` (Django's `SECURE_PROXY_SSL_HEADER`). Only with a
            proxy that sets the header on every request and that the web processes alone are reachable
            through.""",
        ),
    )
    hsts_seconds: int = field(
        default=0,
        metadata=spec(
            "JIENENG_HSTS_SECONDS",
            Whole(minimum=0, unit="seconds"),
            """Behind HTTPS: how long browsers are told to use HTTPS only for this host (the
            `Strict-Transport-Security` header) [s]; 0 sends no header. Start small (3600), then a year
            (31536000) once HTTPS works.""",
        ),
    )
    hsts_include_subdomains: bool = field(
        default=False,
        metadata=spec(
            "JIENENG_HSTS_INCLUDE_SUBDOMAINS",
            Flag(),
            """The HSTS header covers every subdomain of the host too: only when all of them are served
            over HTTPS.""",
        ),
    )
    hsts_preload: bool = field(
        default=False,
        metadata=spec(
            "JIENENG_HSTS_PRELOAD",
            Flag(),
            """The HSTS header asks to be preloaded into browsers (a commitment that is slow to undo;
            needs a year's `JIENENG_HSTS_SECONDS` and the subdomains).""",
        ),
    )
    csrf_trusted_origins: tuple[str, ...] = field(
        default=(),
        metadata=spec(
            "JIENENG_CSRF_TRUSTED_ORIGINS",
            Origins(),
            """The origins from which forms may be posted besides the site's own host (Django's
            `CSRF_TRUSTED_ORIGINS`), e.g. the public `https://` address when a proxy changes the host.""",
        ),
    )
    log_format: str = field(
        default="text",
        metadata=spec(
            "JIENENG_LOG_FORMAT",
            Choice(("text", "json")),
            """How the log lines (one per request and per import job, on standard error) are written:
            `json`, one JSON object per line for a log collector, or `text` for people.""",
        ),
    )
    worker_heartbeat_seconds: int = field(
        default=120,
        metadata=spec(
            "JIENENG_WORKER_HEARTBEAT_SECONDS",
            Whole(minimum=4, unit="seconds"),
            """The task worker writes a heartbeat into the database every quarter of this time; `/healthz`
            reports the worker failing when no worker has written one for this long [s].""",
        ),
    )
    pg_bindir: Path | None = field(
        default=None,
        metadata=spec(
            "JIENENG_PG_BINDIR",
            Folder(),
            """The folder holding PostgreSQL's `pg_dump` and `pg_restore`, which `jieneng manage backup`
            and `restore` run for a PostgreSQL database; their version must be at least the server's.""",
            default_text="found on the `PATH`",
        ),
    )
    login_failures: int = field(
        default=5,
        metadata=spec(
            "JIENENG_LOGIN_FAILURES",
            Whole(minimum=1),
            """Failed sign-ins with one user name from one address before that pair is locked out for
            30 minutes.""",
        ),
    )
    attachment_max_mb: int = field(
        default=10,
        metadata=spec(
            "JIENENG_ATTACHMENT_MAX_MB",
            Whole(minimum=1, unit="MB"),
            """The largest file that may be attached to a meeting's minutes, a signed responsibility
            letter or a task's evidence [MB]; the file is kept in the database.""",
        ),
    )
    email_host: str | None = field(
        default=None,
        metadata=spec(
            "JIENENG_EMAIL_HOST",
            Text(),
            """The mail server (SMTP, port 25) through which reminders of late tasks are also emailed to
            the recipients' users; unset sends none (the reminder is shown in the platform only).""",
            default_text="none",
        ),
    )
    email_from: str | None = field(
        default=None,
        metadata=spec(
            "JIENENG_EMAIL_FROM",
            Text(),
            "The sender address of the emailed reminders (Django's `DEFAULT_FROM_EMAIL`).",
            default_text="Django's default",
        ),
    )
    coefficient_set: str = field(
        default=DEFAULT_COEFFICIENT_SET,
        metadata=spec(
            "JIENENG_COEFFICIENT_SET",
            CoefficientSetRef(),
            """The coefficient set the dashboards' roll-ups are computed with (`jieneng sets` lists
            them). Every roll-up row records it; after a change run `jieneng manage rebuild_rollups`.""",
        ),
    )
    emission_factor_set: str = field(
        default=DEFAULT_EMISSION_FACTOR_SET,
        metadata=spec(
            "JIENENG_EMISSION_FACTOR_SET",
            EmissionFactorSetRef(),
            """The emission-factor set the roll-ups' CO₂ is computed with (`jieneng sets` lists them).
            Every roll-up row records it with the convention; after a change run
            `jieneng manage rebuild_rollups`.""",
        ),
    )
    co2_basis: str = field(
        default="location",
        metadata=spec(
            "JIENENG_CO2_BASIS",
            Choice(tuple(BASES)),
            """How the roll-ups count electricity's CO₂: `location` (the province's average factor, else its
            regional grid's, else the national one), `market` (national, excluding market-traded
            non-fossil electricity) or `fossil` (fossil electricity only).""",
        ),
    )
    co2_factor_year: str = field(
        default="latest",
        metadata=spec(
            "JIENENG_CO2_FACTOR_YEAR",
            FactorYear(),
            """Which data year's electricity factors the roll-ups apply to a reporting year: `latest`
            (the latest published not after it), `lagN` (N years before it) or a fixed data year (one
            factor for every year: a series comparable over a plan). A reporting year the set does not
            cover has no CO₂ figure (its reason is shown), never another year's factor.""",
        ),
    )
    boundaries_dir: Path | None = field(
        default=None,
        metadata=spec(
            "JIENENG_BOUNDARIES_DIR",
            Folder(),
            """A folder of GeoJSON boundary files named by region code (e.g. `445200.json`, the regions
            below 揭阳市); a region's dashboard draws a map when its file is there.""",
            default_text="`boundaries` in the data folder",
        ),
    )
    dashboard_cache_seconds: int = field(
        default=600,
        metadata=spec(
            "JIENENG_DASHBOARD_CACHE_SECONDS",
            Whole(minimum=0, unit="seconds"),
            """How long a computed dashboard is kept [s]; 0 computes every view. A change to the data
            shows at once whatever this is: every write renews its province's stamp.""",
        ),
    )
    inline_import_bytes: int = field(
        default=1024 * 1024,
        metadata=spec(
            "JIENENG_INLINE_IMPORT_BYTES",
            Whole(minimum=0, unit="bytes"),
            """An uploaded form up to this size [bytes] is imported while the user waits; a larger one goes
            to the background worker and its page shows the progress.""",
        ),
    )
    import_max_rows: int = field(
        default=1_000_000,
        metadata=spec(
            "JIENENG_IMPORT_MAX_ROWS",
            Whole(minimum=1, unit="rows"),
            """The most rows an uploaded sheet may have (as its workbook declares them, or as read); a
            larger file is refused with a message naming this limit, before it is read.""",
        ),
    )
    import_max_columns: int = field(
        default=1_000,
        metadata=spec(
            "JIENENG_IMPORT_MAX_COLUMNS",
            Whole(minimum=1, unit="columns"),
            """The most columns an uploaded sheet may have; a sheet whose declared range is wider (a
            single cell at column XFD) is refused before it is read.""",
        ),
    )
    import_max_cells: int = field(
        default=30_000_000,
        metadata=spec(
            "JIENENG_IMPORT_MAX_CELLS",
            Whole(minimum=1, unit="cells"),
            """The most cells (rows × columns of the declared range) an uploaded sheet may have.""",
        ),
    )
    import_max_text_chars: int = field(
        default=32_767,
        metadata=spec(
            "JIENENG_IMPORT_MAX_TEXT_CHARS",
            Whole(minimum=1, unit="characters"),
            """The longest text one cell may hold (Excel's own limit is 32,767 characters).""",
        ),
    )
    import_max_unpacked_bytes: int = field(
        default=512 * 1024 * 1024,
        metadata=spec(
            "JIENENG_IMPORT_MAX_UNPACKED_BYTES",
            Whole(minimum=1, unit="bytes"),
            """The most bytes a workbook (a zip archive) may unpack to, all its parts together and its
            shared strings alone; checked from the archive's directory before anything is unpacked.""",
        ),
    )
    import_memory_bytes: int = field(
        default=3 * 1024 * 1024 * 1024,
        metadata=spec(
            "JIENENG_IMPORT_MEMORY_BYTES",
            Whole(minimum=256 * 1024 * 1024, unit="bytes"),
            """The address space of the separate process that reads an uploaded workbook; a file that
            needs more fails its job with a message naming this limit, and the site keeps serving.""",
        ),
    )
    import_read_seconds: int = field(
        default=300,
        metadata=spec(
            "JIENENG_IMPORT_READ_SECONDS",
            Whole(minimum=1, unit="seconds"),
            """The longest time the reading process may take for one file [s].""",
        ),
    )
    lang: str = field(
        default=DEFAULT_LANGUAGE,
        metadata=spec(
            "JIENENG_LANG",
            Language(),
            """The language of the command line's messages (its `--lang` option chooses for one run). The
            web pages follow each browser's language.""",
        ),
    )

    monitoring_engine: str = field(
        default="duckdb",
        metadata=spec(
            "JIENENG_MONITORING_ENGINE",
            Choice(("duckdb", "spark")),
            """The engine that runs the meter readings' roll-up queries: `duckdb` (in the process, over the
            Parquet files of the data directory) or `spark` (a Spark session: a local one, or the cluster
            named by Spark's own `SPARK_REMOTE`/`spark.master` configuration; needs `pip install
            jieneng[spark]` and Java).""",
        ),
    )

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            value, about = getattr(self, item.name), spec_of(item)
            if value is None and item.default is None:
                continue
            if not about.kind.valid(value):
                shown = "(hidden)" if not item.repr else value
                raise SettingError(about.env, shown, about.kind.accepts)
        if self.boundaries_dir is None:
            object.__setattr__(self, "boundaries_dir", self.data_dir / "boundaries")

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` (field names), checked like any other; for tests and tools."""
        return dataclasses.replace(self, **changes)

    def database(self) -> dict[str, Any]:
        """Django's ``DATABASES["default"]``: from :attr:`database_url`, else SQLite in the data folder."""
        if self.database_url:
            return database_from_url(self.database_url)
        return sqlite_database(self.data_dir / "jieneng.sqlite3")


def from_environ(environ: Mapping[str, str]) -> Settings:
    """The settings given by ``environ`` (``os.environ``): every variable read and checked once.

    A variable that is unset or blank takes the field's default. Raises :class:`SettingError`."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(Settings):
        about = spec_of(item)
        text = environ.get(about.env, "").strip()
        if not text:
            continue
        try:
            value = about.kind.parse(text)
        except ValueError:
            value = None
        if value is None or not about.kind.valid(value):  # the error shows the text as it was written
            raise SettingError(about.env, text if item.repr else "(hidden)", about.kind.accepts)
        values[item.name] = value
    return Settings(**values)


@functools.cache
def from_process() -> Settings:
    """The settings of this process's environment, read on the first call."""
    return from_environ(os.environ)


def current() -> Settings:
    """The settings in force: Django's ``settings.JIENENG`` once Django is configured with it (so that
    tests can override it), else those of the process's environment (the command line before Django)."""
    conf = sys.modules.get("django.conf")  # not imported: Django cannot be configured yet
    django_settings = getattr(conf, "settings", None)
    if django_settings is not None and django_settings.configured:
        chosen = getattr(django_settings, "JIENENG", None)
        if isinstance(chosen, Settings):
            return chosen
    return from_process()


# --- databases --------------------------------------------------------------------------------------


def database_from_url(url: str) -> dict[str, Any]:
    """A Django ``DATABASES`` entry from ``sqlite:///abs/path`` or ``postgresql://user:pw@host:port/db``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if not parts.path or parts.path == "/":
            raise ValueError(
                "JIENENG_DATABASE_URL: sqlite needs a file path, e.g. sqlite:///srv/jieneng.sqlite3"
            )
        return sqlite_database(Path(unquote(parts.path)))
    if parts.scheme in ("postgresql", "postgres", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError("JIENENG_DATABASE_URL: postgresql needs a database name after the host")
        query = parse_qs(parts.query)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or query.get("host", [""])[0]),
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": f"test_{name}"},
        }
    raise ValueError(f"JIENENG_DATABASE_URL: unsupported scheme {parts.scheme!r} (use sqlite or postgresql)")


def sqlite_database(path: Path) -> dict[str, Any]:
    """A Django ``DATABASES`` entry for the SQLite file ``path``, in WAL mode."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


# --- the docs ---------------------------------------------------------------------------------------


def _default_of(item: dataclasses.Field[Any], about: Spec) -> str:
    if about.default_text:
        return about.default_text
    default = item.default
    if isinstance(default, bool):
        return "off" if not default else "on"
    if default == ():
        return "none"
    return f"`{default}`"


def settings_markdown() -> str:
    """The text of ``docs/settings.md``: every field of :class:`Settings`."""
    parts = [
        "# Settings (设置)\n",
        "<!-- Generated from the fields of jieneng.config.Settings by settings_markdown(); do not edit. -->",
        f"<!-- Regenerate: python -m jieneng.config --write-docs {DOCS_PATH} -->\n",
        "jieneng reads these environment variables once, when it starts (the web site, the task worker and",
        "the command line alike). A variable that is unset or blank takes its default. A value that a",
        "setting does not accept stops the start with a message naming the variable, the value and what it",
        "accepts. In the code they are one frozen object, `jieneng.config.Settings`; Django's settings",
        "expose it as `settings.JIENENG`, and modules read it with `jieneng.config.current()`.\n",
        "| variable | default |",
        "|---|---|",
    ]
    items = dataclasses.fields(Settings)
    for item in items:
        about = spec_of(item)
        parts.append(f"| [`{about.env}`](#{about.env.lower()}) | {_default_of(item, about)} |")
    parts.append("")
    for item in items:
        about = spec_of(item)
        parts += [
            f"## {about.env}\n",
            f"{about.description}\n",
            f"- accepts: {about.kind.accepts}",
            f"- default: {_default_of(item, about)}",
            f"- in the code: `Settings.{item.name}`\n",
        ]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jieneng.config", description="Write docs/settings.md.")
    parser.add_argument("--write-docs", metavar="PATH", default=DOCS_PATH)
    args = parser.parse_args(argv)
    Path(args.write_docs).write_text(settings_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
