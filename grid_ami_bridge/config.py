"""Settings of the bridge: an INI file, with secrets optionally from the
environment (GRID_AMI_SECRET, GRID_WEBHOOK_SECRET) so that the file can stay
readable to more people than the secrets."""

import configparser
import os
import re
from dataclasses import dataclass, field

from .tracker import (
    DEFAULT_EXTENSION_PATTERN,
    DEFAULT_INBOUND_CONTEXTS,
    DEFAULT_OUTBOUND_CONTEXTS,
    TrackerSettings,
)


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names it."""


@dataclass
class AmiSettings:
    host: str = "127.0.0.1"
    port: int = 5038
    username: str = ""
    secret: str = ""
    auth: str = "md5"
    events: str = "on"
    connect_timeout: float = 10.0
    ping_interval: float = 20.0
    ping_timeout: float = 10.0
    reconnect_max_delay: float = 60.0
    fallback_encoding: str = "cp1251"


@dataclass
class WebhookSettings:
    url: str = ""
    secret: str = ""
    timeout: float = 10.0
    batch_size: int = 100
    retry_max_delay: float = 60.0


@dataclass
class BridgeConfig:
    ami: AmiSettings = field(default_factory=AmiSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    spool_directory: str = "/var/lib/grid-ami-bridge/spool"
    spool_fsync: bool = True
    calls: TrackerSettings = field(default_factory=TrackerSettings)
    log_level: str = "INFO"


def _list(value: str) -> tuple:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def load_config(path: str | None, environ=None) -> BridgeConfig:
    """Read the INI file at `path` (None: defaults and environment only)."""
    environ = os.environ if environ is None else environ
    parser = configparser.ConfigParser(interpolation=None)
    if path:
        read = parser.read(path, encoding="utf-8")
        if not read:
            raise ConfigError(f"configuration file {path} cannot be read")
    config = BridgeConfig()

    def get(section, key, default, convert=str):
        if not parser.has_option(section, key):
            return default
        raw = parser.get(section, key).strip()
        try:
            return convert(raw)
        except ValueError as error:
            raise ConfigError(
                f"[{section}] {key} = {raw!r} is invalid: {error}"
            ) from error

    ami = config.ami
    ami.host = get("ami", "host", ami.host)
    ami.port = get("ami", "port", ami.port, int)
    ami.username = get("ami", "username", ami.username)
    ami.secret = environ.get("GRID_AMI_SECRET") or get("ami", "secret", ami.secret)
    ami.auth = get("ami", "auth", ami.auth).lower()
    ami.events = get("ami", "events", ami.events)
    ami.connect_timeout = get("ami", "connect_timeout", ami.connect_timeout, float)
    ami.ping_interval = get("ami", "ping_interval", ami.ping_interval, float)
    ami.ping_timeout = get("ami", "ping_timeout", ami.ping_timeout, float)
    ami.reconnect_max_delay = get(
        "ami", "reconnect_max_delay", ami.reconnect_max_delay, float
    )
    ami.fallback_encoding = get("ami", "fallback_encoding", ami.fallback_encoding)

    hook = config.webhook
    hook.url = get("webhook", "url", hook.url)
    hook.secret = environ.get("GRID_WEBHOOK_SECRET") or get(
        "webhook", "secret", hook.secret
    )
    hook.timeout = get("webhook", "timeout", hook.timeout, float)
    hook.batch_size = get("webhook", "batch_size", hook.batch_size, int)
    hook.retry_max_delay = get(
        "webhook", "retry_max_delay", hook.retry_max_delay, float
    )

    config.spool_directory = get("spool", "directory", config.spool_directory)
    config.spool_fsync = get(
        "spool", "fsync", config.spool_fsync, lambda v: _boolean("spool", "fsync", v)
    )

    config.calls = TrackerSettings(
        inbound_contexts=get(
            "calls", "inbound_contexts", DEFAULT_INBOUND_CONTEXTS, _list
        ),
        outbound_contexts=get(
            "calls", "outbound_contexts", DEFAULT_OUTBOUND_CONTEXTS, _list
        ),
        extension_pattern=get("calls", "extension_pattern", DEFAULT_EXTENSION_PATTERN),
        recording_variables=get(
            "calls", "recording_variables", ("GRID_RECORDING_URL",), _list
        ),
        recording_url_template=get("calls", "recording_url_template", "{value}"),
        originate_action_prefix=get("calls", "originate_action_prefix", "grid-"),
        max_call_seconds=get("calls", "max_call_seconds", 6 * 3600, int),
    )
    config.log_level = get("logging", "level", config.log_level).upper()
    validate(config)
    return config


def _boolean(section: str, key: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "yes", "true", "on"):
        return True
    if lowered in ("0", "no", "false", "off"):
        return False
    raise ValueError("expected yes or no")


def validate(config: BridgeConfig):
    """Raise ConfigError naming the first missing or invalid setting."""
    if not config.ami.username:
        raise ConfigError("[ami] username is missing")
    if not config.ami.secret:
        raise ConfigError("[ami] secret is missing (or set GRID_AMI_SECRET)")
    if config.ami.auth not in ("md5", "plain"):
        raise ConfigError(f"[ami] auth = {config.ami.auth!r}: expected md5 or plain")
    if not 0 < config.ami.port < 65536:
        raise ConfigError(f"[ami] port = {config.ami.port} is out of range")
    if config.ami.ping_interval <= 0 or config.ami.ping_timeout <= 0:
        raise ConfigError("[ami] ping_interval and ping_timeout must be positive")
    if not config.webhook.url.startswith(("http://", "https://")):
        raise ConfigError("[webhook] url must be an http:// or https:// address")
    if not config.webhook.secret:
        raise ConfigError("[webhook] secret is missing (or set GRID_WEBHOOK_SECRET)")
    if not 1 <= config.webhook.batch_size <= 500:
        raise ConfigError("[webhook] batch_size must be between 1 and 500")
    try:
        re.compile(config.calls.extension_pattern)
    except re.error as error:
        raise ConfigError(f"[calls] extension_pattern is invalid: {error}") from error
    if "{value}" not in config.calls.recording_url_template:
        raise ConfigError("[calls] recording_url_template must contain {value}")
