"""The event types: who receives each and which fields its templates may use.

A field list is also the confidentiality rule: no field of a unit's event carries a filer's
name, mobile, company or credit code, and templates naming any other field are refused.
"""

import string
from dataclasses import dataclass

UNIT, OFFICE, DISCIPLINE, FILER, ANY = "unit", "office", "discipline", "filer", "any"
CHANNELS = ("inbox", "email", "sms", "robot")
USER_CHANNELS = ("inbox", "email", "sms")  # a person's choices; robots are per unit


@dataclass(frozen=True)
class EventType:
    code: str
    audience: str
    fields: tuple[str, ...]


_REPORT = ("tracking_no", "title", "unit", "deadline", "link")
EVENTS = {e.code: e for e in (
    EventType("report_assigned", UNIT, (*_REPORT, "respond_due")),
    EventType("report_reopened", UNIT, _REPORT),
    EventType("notice_issued", UNIT, (*_REPORT, "notice_title", "number", "deadline_text")),
    EventType("card_yellow", UNIT, _REPORT),
    EventType("card_red", UNIT, _REPORT),
    EventType("selfcheck_opened", UNIT, ("campaign", "unit", "deadline", "link")),
    EventType("selfcheck_due", UNIT, ("campaign", "unit", "deadline", "link")),
    EventType("selfcheck_returned", UNIT, ("campaign", "unit", "comment", "link")),
    EventType("report_filed", OFFICE, ("tracking_no", "title", "kind", "link")),
    EventType("report_returned", OFFICE, ("tracking_no", "title", "unit", "reason", "link")),
    EventType("followup_due", OFFICE, ("count", "link")),
    EventType("selfcheck_submitted", OFFICE, ("campaign", "unit", "late_text", "link")),
    EventType("transfer_letter", DISCIPLINE, ("tracking_no", "title", "unit", "number", "link")),
    EventType("case_review", DISCIPLINE, ("case_title", "unit", "link")),
    EventType("quota_at_risk", DISCIPLINE, ("unit", "checkpoint", "cases", "sanctioned", "link")),
    # filers: nothing beyond the tracking number, the status and the public link
    EventType("filer_accepted", FILER, ("tracking_no", "status", "link")),
    EventType("filer_replied", FILER, ("tracking_no", "status", "link")),
    EventType("filer_rejected", FILER, ("tracking_no", "status", "link")),
    EventType("digest", ANY, ("count", "items", "link")),
)}


def placeholders(text: str) -> set[str]:
    """The `{name}` fields a template uses; raises ValueError on broken braces."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def unknown_fields(event: str, *texts: str) -> set[str]:
    allowed = set(EVENTS[event].fields)
    found: set[str] = set()
    for text in texts:
        found |= placeholders(text)
    return found - allowed


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(text: str, context: dict) -> str:
    """Fill the placeholders; a field the event does not offer renders empty."""
    return text.format_map(_Blank(context))
