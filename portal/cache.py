"""Results cached until the next write, in this process (the public board, the offices' figures).

Each entry is stored with the data version it was computed at (`data_version`) and served only
while the database still has that version; the version is read before the result is computed,
so an entry is never older than its version. Any write through the services moves the version,
whichever process made it, so a cached result is never stale after a write. Not st.cache: the
services are used by the CLI and the bulletin as well as by the pages.
"""

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlmodel import Session, func, select

from portal.models import (
    AuditChain,
    Notice,
    Report,
    ReportEvent,
    ReportRating,
    SelfcheckForm,
    TypicalCase,
)

T = TypeVar("T")


def data_version(session: Session) -> tuple:
    """What changes with every write the board and the figures show: the audit chain's head
    (every service write is audited) and the newest report, event, rating, notice and case —
    primary-key lookups only, so checking costs next to nothing."""
    head = session.exec(select(AuditChain.last_id, AuditChain.count).where(AuditChain.id == 1)
                        ).first()
    newest = session.exec(select(
        select(func.max(Report.id)).scalar_subquery(),
        select(func.max(ReportEvent.id)).scalar_subquery(),
        select(func.max(ReportRating.id)).scalar_subquery(),
        select(func.max(Notice.id)).scalar_subquery(),
        select(func.max(SelfcheckForm.updated_at)).scalar_subquery(),
        select(func.max(TypicalCase.id)).scalar_subquery())).one()
    return (tuple(head) if head else None, tuple(newest))


class VersionedCache:
    """Results by key, each valid while the database keeps the version it was computed at.

    Keys start with the database URL (one process may serve several databases, as the tests
    do); when full, the cache is emptied rather than tracking use."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: dict[Hashable, tuple[tuple, object]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        key = (str(session.get_bind().engine.url), key)
        version = data_version(session)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == version:
                return hit[1]  # type: ignore[return-value]
        result = compute()
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()
            self._entries[key] = (version, result)
        return result
