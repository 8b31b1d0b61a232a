"""Audit entries in words: action and object names from the catalogue, never their codes.

The stored entries (hash-chained) keep their codes; only what the page shows is translated.
"""

import re

from portal.i18n import MESSAGES
from portal.ui.context import tr

_CHANNEL = re.compile(r"\bchannel=(\w+)")


def _known(key: str, **params: object) -> str | None:
    return tr(key, **params) if key in MESSAGES else None


def action_label(action: str) -> str:
    """'report.assign' → 已受理并分办; the code itself only when the catalogue has no name."""
    head, _, tail = action.partition(".")
    if head == "kb" or action.startswith("kb_"):
        status = action.removeprefix("kb_")
        found = _known(f"kb.status.{status}")
        return f"{tr('uirep.audit.kb')}：{found}" if found else action
    named = (_known(f"uirep.audit.{action}")
             or (head == "report" and _known(f"event.{tail}", unit="") or None)
             or (head == "notice" and (_known(f"notice.kind.{tail}") or None)
                 and tr("uirep.audit.notice_issued", kind=tr(f"notice.kind.{tail}")))
             or (head == "case" and (_known(f"case.status.{tail}") or None)
                 and tr("uirep.audit.case_step", status=tr(f"case.status.{tail}"))))
    return named.strip() if named else action


def entity_label(entity: str, entity_id: int | None) -> str:
    name = _known(f"uirep.entity.{entity}") or entity
    return f"{name} {entity_id}" if entity_id is not None else name


def detail_text(detail: str) -> str:
    """Codes inside details in words (the channel a report came in by)."""
    return _CHANNEL.sub(lambda m: tr("uirep.audit.channel",
                                     channel=_known(f"channel.{m.group(1)}") or m.group(1)),
                        detail)
