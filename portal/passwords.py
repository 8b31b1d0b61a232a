"""Password hashing (bcrypt) and the password policy."""

import secrets
import string

import bcrypt

from portal.errors import ValidationError

MIN_LENGTH = 8
MAX_BYTES = 72  # bcrypt ignores or rejects anything longer


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError("error.password_too_short", field="password", min=MIN_LENGTH)
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise ValidationError("error.password_too_long", field="password", max=MAX_BYTES)
    if password != password.strip():
        raise ValidationError("error.password_spaces", field="password")


def hash_password(password: str) -> str:
    check_policy(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


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


# A real hash to compare against when the username is unknown, so timing does not reveal it.
DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt()).decode("ascii")
