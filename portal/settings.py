"""The one place configuration is read: environment variables (prefix-free) and `.env`."""

import secrets
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from portal import PROJECT_ROOT

_COOKIE_KEY_FILE = PROJECT_ROOT / "db" / ".cookie_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///db/portal.sqlite3"
    # the dashboards' read-only queries on a replica (a PostgreSQL hot standby); empty: the same
    # database as everything else
    read_database_url: str = ""
    timezone: str = "Asia/Shanghai"
    cookie_name: str = "yingshang_portal_auth"
    cookie_key: str = ""
    cookie_expiry_days: float = 1.0
    cookie_secure: bool = False  # set COOKIE_SECURE=true when served over HTTPS
    trust_proxy_headers: bool = False  # X-Forwarded-For names the client (behind a proxy only)
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    sqlite_busy_timeout_ms: int = 5000
    write_retries: int = 8  # attempts of a write refused by a busy database (portal.db)
    bcrypt_rounds: int = 12
    query_code_iterations: int = 120_000  # PBKDF2-SHA256 cost of tracking query codes
    deadline_cutoff_hour: int = 17
    # notifications (#15): links in messages, e-mail, SMS, delivery
    public_url: str = "http://localhost:8501"
    smtp_host: str = ""  # e-mail is off while unset
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "portal@localhost"
    sms_backend: str = "file"  # file (development), http (a gateway), off
    sms_file: str = "db/sms-outbox.jsonl"
    sms_gateway_url: str = ""
    sms_template_id: str = ""
    sms_signature: str = "营商环境监督平台"
    sms_key: str = ""
    sms_max_chars: int = 134  # two concatenated 67-character segments, signature included
    sms_links_for_filers: bool = False
    notify_quiet_start: int = 21  # no SMS from this hour … (filers, users without a choice)
    notify_quiet_end: int = 8  # … until this hour; equal values switch quiet hours off
    notify_max_attempts: int = 5
    notify_retry_base_seconds: int = 60
    notify_claim_timeout_seconds: int = 600
    notify_http_timeout_seconds: float = 10.0
    chart_font: str = ""  # a CJK font file for the bulletin's charts; else the usual places


def _local_cookie_key() -> str:
    """A per-installation secret, made once, so no shared default signs login cookies."""
    if _COOKIE_KEY_FILE.exists():
        return _COOKIE_KEY_FILE.read_text().strip()
    _COOKIE_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    _COOKIE_KEY_FILE.write_text(key)
    _COOKIE_KEY_FILE.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if not settings.cookie_key:
        settings.cookie_key = _local_cookie_key()
    return settings
