"""Password hashing (bcrypt) and the password policy."""

import secrets
import string
from functools import lru_cache

import bcrypt

from portal.common_passwords import COMMON_PASSWORDS
from portal.errors import ValidationError
from portal.settings import get_settings

MIN_LENGTH = 8
MAX_BYTES = 72  # bcrypt ignores or rejects anything longer


def check_policy(password: str, *, username: str | None = None) -> None:
    """Length and spaces always; with `username`, also refuse common passwords and passwords
    containing the username (new and changed passwords; demo and generated ones skip this)."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("error.password_too_short", field="password", min=MIN_LENGTH)
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise ValidationError("error.password_too_long", field="password", max=MAX_BYTES)
    if password != password.strip():
        raise ValidationError("error.password_spaces", field="password")
    if username is not None:
        lowered = password.lower()
        if lowered in COMMON_PASSWORDS:
            raise ValidationError("error.password_common", field="password")
        name = username.strip().lower()
        if len(name) >= 3 and name in lowered:
            raise ValidationError("error.password_has_username", field="password")


def hash_password(password: str) -> str:
    check_policy(password)
    salt = bcrypt.gensalt(get_settings().bcrypt_rounds)
    return bcrypt.hashpw(password.encode("utf-8"), salt).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:
        return False


def generate_password(length: int = 12) -> str:
    """A random password without look-alike characters, shown to an admin exactly once."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


@lru_cache
def dummy_hash() -> str:
    """A real hash to check against when the username is unknown, so timing does not reveal it."""
    return hash_password("not-a-real-password")
