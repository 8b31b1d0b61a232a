"""Notifications (#15): one outbox feeding 站内信, e-mail, SMS and work-chat robots.

Services call `portal.notifications.hooks` (or `enqueue` directly) before they commit; the
`python -m portal notify` worker delivers what is pending.
"""

from portal.notifications.outbox import enqueue

__all__ = ["enqueue"]
