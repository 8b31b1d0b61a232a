"""The vocabulary of reports: kinds, channels, statuses and ratings (codes; labels live in i18n)."""

from enum import StrEnum


class Kind(StrEnum):
    COMPLAINT = "complaint"  # 投诉举报
    UNDONE = "undone"  # 办不成事
    SUGGESTION = "suggestion"  # 意见建议


class Channel(StrEnum):
    WEB = "web"
    PHONE = "phone"  # 12345 热线
    LETTER = "letter"
    VISIT = "visit"
    HOTLINE_ORDER = "12345"  # 工单 imported from the 12345 platform's export


class Status(StrEnum):
    SUBMITTED = "submitted"  # 待受理
    ASSIGNED = "assigned"  # 已分办, waiting for the unit's response
    ACKNOWLEDGED = "acknowledged"  # 已响应
    RETURNED = "returned"  # the unit sent it back: 待重新分办
    REPLIED = "replied"  # 已答复, waiting for the filer's rating
    REOPENED = "reopened"  # 差评整改
    REJECTED = "rejected"  # 不予受理
    CLOSED = "closed"  # 已办结


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ASSIGNED, Status.ACKNOWLEDGED,
                           Status.RETURNED, Status.REPLIED, Status.REOPENED})
WITH_UNIT = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED, Status.REOPENED})
