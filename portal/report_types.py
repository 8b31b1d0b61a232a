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
    CLOSED_UNRATED = "closed_unrated"  # 已办结（未评价）: no rating M working days after the reply


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"


class FollowupResult(StrEnum):
    """The result of the office's follow-up call (回访): a rating, or nobody reached."""

    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"
    UNREACHABLE = "unreachable"


class RatingChannel(StrEnum):
    WEB = "web"  # the filer, with the query code or the company account
    FOLLOWUP = "followup"  # 回访: the office's call


class ReplyOutcome(StrEnum):
    """What the unit's reply achieved (解决率)."""

    RESOLVED = "resolved"  # 已解决
    PARTLY = "partly"  # 部分解决
    UNRESOLVED = "unresolved"  # 未解决（已解释说明）


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ASSIGNED, Status.ACKNOWLEDGED,
                           Status.RETURNED, Status.REPLIED, Status.REOPENED})
WITH_UNIT = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED, Status.REOPENED})
OFFICE_WAITING = frozenset({Status.SUBMITTED, Status.RETURNED})
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.CLOSED_UNRATED})
