"""Category suggestion: the three most likely of the 32 categories for a report's text.

Trained from the catalogue's own texts, the example phrasings shipped in `examples.txt`,
and the district's confirmed reports (a supervisor set the category when assigning).
The newest trained model is stored in the database; the loaded model is cached per process,
so a suggestion costs about a millisecond.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal import audit, catalogue, clock
from portal.errors import ValidationError
from portal.models import Category, Report, StoredSuggester
from portal.report_types import WITH_UNIT, Status
from portal.roles import Actor, Role, require

if TYPE_CHECKING:  # scikit-learn loads on first use, not when a page imports this module
    from portal.suggest.model import SuggesterModel

EXAMPLES = Path(__file__).with_name("examples.txt")
CONFIRMED_STATUSES = frozenset({*WITH_UNIT, Status.REPLIED, Status.CLOSED})
MAX_CONFIRMED = 20_000  # the most recent confirmed reports; bounds training time and model size
CONFIRMED_WEIGHT = 2.0  # the district's own words count more than the shipped examples
MAX_TEXT = 5_000

_lock = threading.Lock()
_cache: dict[object, SuggesterModel] = {}


@dataclass(frozen=True)
class Suggestion:
    number: int
    text: str
    score: float
    words: list[str]


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[int]
    weights: list[float]
    examples: int
    confirmed: int


@dataclass(frozen=True)
class Trained:
    model_id: int
    examples: int
    confirmed: int
    seconds: float


def shipped_examples() -> list[tuple[int, str]]:
    """The example phrasings per category that ship with the portal."""
    rows = []
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            number, text = line.split("\t", 1)
            rows.append((int(number), text.strip()))
    return rows


def report_text(title: str, description: str) -> str:
    return f"{title}。{description}"


def confirmed_reports(session: Session, *, year: int, limit: int = MAX_CONFIRMED
                      ) -> list[tuple[int, str]]:
    """(category number, text) of the newest reports whose category a supervisor confirmed."""
    rows = session.exec(
        select(Category.number, Report.title, Report.description)
        .join(Category, col(Category.id) == Report.category_id)
        .where(col(Report.status).in_(CONFIRMED_STATUSES), Category.year == year)
        .order_by(col(Report.id).desc()).limit(limit)).all()
    return [(number, report_text(title, description)) for number, title, description in rows]


def training_set(session: Session) -> TrainingSet:
    year = catalogue.effective_year(session, year=clock.today().year)
    base = [(e.number, e.text) for e in catalogue.list_categories(session, year=year)]
    base += shipped_examples()
    confirmed = confirmed_reports(session, year=year)
    pairs = base + confirmed
    return TrainingSet(texts=[t for _, t in pairs], labels=[n for n, _ in pairs],
                       weights=[1.0] * len(base) + [CONFIRMED_WEIGHT] * len(confirmed),
                       examples=len(base), confirmed=len(confirmed))


def train(session: Session, *, actor: Actor | None) -> Trained:
    """Retrain from the catalogue, the examples and the confirmed reports; store the model.

    `actor` None is the command line (an operator on the server).
    """
    if actor is not None:
        require(actor, Role.SUPERVISOR, Role.ADMIN)
    started = clock.now()
    data = training_set(session)
    from portal.suggest.model import SuggesterModel

    model = SuggesterModel.fit(data.texts, data.labels, data.weights)
    stored = StoredSuggester(trained_at=clock.now(),
                             trained_by_id=actor.user_id if actor else None,
                             catalogue_year=catalogue.effective_year(
                                 session, year=clock.today().year),
                             examples=data.examples, confirmed=data.confirmed,
                             data=model.to_bytes())
    session.add(stored)
    session.flush()
    audit.record(session, actor=actor, action="train_suggester", entity="suggester",
                 entity_id=stored.id,
                 detail=f"examples={data.examples} confirmed={data.confirmed}")
    session.commit()
    with _lock:
        _cache.clear()
        _cache[stored.id] = model
    return Trained(model_id=stored.id, examples=data.examples, confirmed=data.confirmed,
                   seconds=(clock.now() - started).total_seconds())


def latest_training(session: Session) -> dict | None:
    """When the model in use was trained and from how much, for the office's page."""
    row = session.exec(select(StoredSuggester.id, StoredSuggester.trained_at,
                              StoredSuggester.examples, StoredSuggester.confirmed)
                       .order_by(col(StoredSuggester.id).desc()).limit(1)).first()
    if row is None:
        return None
    return {"id": row[0], "trained_at": row[1], "examples": row[2], "confirmed": row[3]}


def current_model(session: Session) -> SuggesterModel:
    from portal.suggest.model import SuggesterModel

    """The newest stored model, loaded once per process; before any training, one built from
    the catalogue and the shipped examples."""
    newest = session.exec(select(func.max(StoredSuggester.id))).one()
    key: object = newest if newest is not None else (
        "base", catalogue.effective_year(session, year=clock.today().year))
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    if newest is not None:
        model = SuggesterModel.from_bytes(session.get(StoredSuggester, newest).data)
    else:
        data = training_set(session)
        count = data.examples
        model = SuggesterModel.fit(data.texts[:count], data.labels[:count],
                                   data.weights[:count])
    with _lock:
        _cache.clear()
        _cache[key] = model
    return model


def suggest(session: Session, *, text: str, k: int = 3) -> list[Suggestion]:
    """The k most likely categories for a report text (public: the filer sees them too)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("error.triage_text_required", field="text")
    texts = {e.number: e.text for e in catalogue.list_categories(session)}
    ranked = current_model(session).rank(text[:MAX_TEXT], k=k)
    return [Suggestion(number=r.number, text=texts.get(r.number, ""), score=r.score,
                       words=r.words) for r in ranked]


def top_numbers(session: Session, *, text: str, k: int = 3) -> list[int]:
    return [s.number for s in suggest(session, text=text, k=k)]
