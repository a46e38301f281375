"""Where things live: the data database, the keys database, and server settings from the environment."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from onetlocal.errors import ConfigError

#: The newest O*NET release ingest/sources.json knows (text edition), and the page that links the current one.
OFFICIAL_SOURCE_URL = "https://www.onetcenter.org/dl_files/database/db_31_0_text.zip"
ONET_DATABASE_PAGE = "https://www.onetcenter.org/database.html"


def default_data_dir() -> Path:
    """Where `onetlocal fetch` puts the public sources when no --dest / ONETLOCAL_DATA is given."""
    env = os.environ.get("ONETLOCAL_DATA")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("onetlocal")) / "data"


def default_db_path() -> Path:
    env = os.environ.get("ONETLOCAL_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("onetlocal")) / "onet.sqlite"


def keys_db_path(db_path: Path, keys_db: str | os.PathLike | None = None) -> Path:
    """The keys live beside the data database (never inside it), so a rebuild never loses them."""
    if keys_db:
        return Path(keys_db).expanduser()
    env = os.environ.get("ONETLOCAL_KEYS_DB")
    if env:
        return Path(env).expanduser()
    return Path(db_path).with_name("keys.sqlite")


def parse_rate_limit(text: str | None) -> float | None:
    """'10/s', '600/m', '36000/h' -> requests per second; 'off', '0' or empty -> no limit."""
    if text is None or text.strip().lower() in ("", "0", "off", "none"):
        return None
    count, _, unit = text.strip().partition("/")
    seconds = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}.get(
        unit.strip().lower() or "s"
    )
    try:
        rate = float(count)
    except ValueError:
        rate = -1
    if seconds is None or not 0 < rate < math.inf:  # also refuses 'nan/s' and 'inf/s'
        raise ConfigError(f"invalid rate limit {text!r}: expected e.g. '10/s', '600/m' or 'off'")
    return rate / seconds


DEFAULT_RATE_LIMIT = "100/s"


@dataclass(frozen=True)
class Settings:
    """Everything the HTTP app needs; passed through the environment to uvicorn workers."""

    db_path: Path
    keys_db_path: Path
    auth: bool = True
    rate_limit: float | None = parse_rate_limit(DEFAULT_RATE_LIMIT)
    base_url: str | None = None
    redis_url: str | None = None  # keys and rate-limit counters shared by every instance (None: per process)
    #: Rate-limit counters shared by this machine's workers (`http.shared_bucket`; `serve` makes it for N > 1).
    rate_file: Path | None = None
    access_log: str = "off"  # "plain" | "json" | "off"
    log_level: str = "info"
    #: Host header values served (None: any, the library default; `serve` defaults to loopback + base URL host).
    allowed_hosts: tuple[str, ...] | None = None
    ui_key: str | None = None  # name of the key the web UI's proxy uses (onetlocal.ui)

    @classmethod
    def from_env(cls) -> Settings:
        db = default_db_path()
        return cls(
            db_path=db,
            keys_db_path=keys_db_path(db),
            auth=os.environ.get("ONETLOCAL_NO_AUTH", "") not in ("1", "true", "yes"),
            rate_limit=parse_rate_limit(os.environ.get("ONETLOCAL_RATE_LIMIT", DEFAULT_RATE_LIMIT)),
            base_url=os.environ.get("ONETLOCAL_BASE_URL") or None,
            redis_url=os.environ.get("ONETLOCAL_REDIS_URL") or None,
            rate_file=Path(os.environ["ONETLOCAL_RATE_FILE"]) if os.environ.get("ONETLOCAL_RATE_FILE") else None,
            access_log=os.environ.get("ONETLOCAL_ACCESS_LOG") or "off",
            log_level=os.environ.get("ONETLOCAL_LOG_LEVEL") or "info",
            allowed_hosts=allowed_hosts_from(
                os.environ.get("ONETLOCAL_ALLOWED_HOSTS"), os.environ.get("ONETLOCAL_BASE_URL") or None
            ),
            ui_key=os.environ.get("ONETLOCAL_UI_KEY") or None,
        )

    def to_env(self) -> dict[str, str]:
        env = {
            "ONETLOCAL_DB": str(self.db_path),
            "ONETLOCAL_KEYS_DB": str(self.keys_db_path),
            "ONETLOCAL_NO_AUTH": "0" if self.auth else "1",
            "ONETLOCAL_RATE_LIMIT": f"{self.rate_limit}/s" if self.rate_limit else "off",
        }
        if self.base_url:
            env["ONETLOCAL_BASE_URL"] = self.base_url
        if self.redis_url:
            env["ONETLOCAL_REDIS_URL"] = self.redis_url
        env["ONETLOCAL_RATE_FILE"] = str(self.rate_file) if self.rate_file else ""  # never one left in the environment
        env["ONETLOCAL_ACCESS_LOG"] = self.access_log
        env["ONETLOCAL_LOG_LEVEL"] = self.log_level
        env["ONETLOCAL_ALLOWED_HOSTS"] = ",".join(self.allowed_hosts) if self.allowed_hosts is not None else "*"
        if self.ui_key:
            env["ONETLOCAL_UI_KEY"] = self.ui_key
        return env


#: Hosts always allowed unless --allowed-hosts says otherwise: the loopback names.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def allowed_hosts_from(text: str | None, base_url: str | None) -> tuple[str, ...]:
    """--allowed-hosts / ONETLOCAL_ALLOWED_HOSTS, else loopback plus the base URL's host (the Host values
    `http.front.Front` serves)."""
    return parse_hosts(text) if text and text.strip() else default_allowed_hosts(base_url)


def default_allowed_hosts(base_url: str | None) -> tuple[str, ...]:
    """Loopback names, plus the --base-url's host when one is set."""
    hosts = list(LOOPBACK_HOSTS)
    if base_url:
        host = urlsplit(base_url).hostname
        if host and host not in hosts:
            hosts.append(host)
    return tuple(hosts)


def parse_hosts(text: str) -> tuple[str, ...]:
    """'a.example, *.b.example' -> ('a.example', '*.b.example'); lower case, ports and brackets dropped."""
    return tuple(dict.fromkeys(_hostname(h) for h in text.split(",") if h.strip()))


def _hostname(value: str) -> str:
    """A host of --allowed-hosts, for comparison: no port, IPv6 brackets removed, lower case. Only for the
    operator's own list (which holds patterns such as `*.example.org`); a request's Host goes through
    `http.limits.split_host`."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")
