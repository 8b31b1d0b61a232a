"""The one place configuration is read: environment variables (prefix-free) and `.env`."""

import secrets
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from portal import PROJECT_ROOT

_COOKIE_KEY_FILE = PROJECT_ROOT / "db" / ".cookie_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///db/portal.sqlite3"
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
