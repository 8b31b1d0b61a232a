"""Beijing time for everything the portal stores: naive datetimes in the configured zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.settings import get_settings


def now() -> datetime:
    return datetime.now(ZoneInfo(get_settings().timezone)).replace(tzinfo=None, microsecond=0)


def precise_now() -> datetime:
    """Now with microseconds, for comparisons within the same second."""
    return datetime.now(ZoneInfo(get_settings().timezone)).replace(tzinfo=None)


def today() -> date:
    return now().date()
