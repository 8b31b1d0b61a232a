"""The rules every free-text field follows, in one place: a length limit, no invisible control
characters (NUL, which PostgreSQL cannot store, and the bidi overrides that make text read
differently from what is stored), single-line fields without line breaks, and sane years."""

import re

from portal.errors import ValidationError

# Limits of the fields that had none; the others keep theirs next to their service.
REASON = 500  # notice, withdrawal and quota-exemption reasons
COMMENT = 500  # a supervisor's comment when returning a self-check
PUBLIC_SUMMARY = 1000  # the anonymised summary on the public board
YEAR_MIN, YEAR_MAX = 2000, 2100

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile("[\r\n\u2028\u2029\x85]")


def check_chars(value: str, *, field: str | None = None, single_line: bool = False) -> str:
    """`value` unchanged, or ValidationError when it holds a character we never store."""
    if FORBIDDEN.search(value):
        raise ValidationError("error.text_forbidden_chars", field=field)
    if single_line and LINE_BREAKS.search(value):
        raise ValidationError("error.text_single_line", field=field)
    return value


def clean(value: str | None, *, field: str, max_len: int, required_key: str | None = None,
          too_long_key: str = "error.text_too_long", single_line: bool = False,
          **params: object) -> str:
    """Strip, then check characters, presence (when `required_key` is given) and length."""
    value = (value or "").strip()
    check_chars(value, field=field, single_line=single_line)
    if required_key and not value:
        raise ValidationError(required_key, field=field, **params)
    if len(value) > max_len:
        raise ValidationError(too_long_key, field=field, max=max_len, **params)
    return value


def check_year(year: int, *, field: str = "year") -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError("error.year_range", field=field, value=year, min=YEAR_MIN,
                              max=YEAR_MAX)
    return year
