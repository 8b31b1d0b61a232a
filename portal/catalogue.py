"""The catalogue of 5 areas and 32 categories, stored as rows versioned by year."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from portal.errors import NotFound
from portal.models import CatalogueArea, Category


@dataclass(frozen=True)
class CategoryEntry:
    area_number: int
    area: str
    area_en: str
    number: int
    text: str


def catalogue_years(session: Session) -> list[int]:
    return list(session.exec(select(CatalogueArea.year).distinct().order_by(CatalogueArea.year)))


def effective_year(session: Session, *, year: int | None = None) -> int:
    """The newest catalogue version in force in `year` (the newest of all when None)."""
    query = select(func.max(CatalogueArea.year))
    if year is not None:
        query = query.where(CatalogueArea.year <= year)
    found = session.exec(query).one()
    if found is None:
        raise NotFound("error.catalogue_missing")
    return found


def list_categories(session: Session, *, year: int | None = None) -> list[CategoryEntry]:
    """All categories of the version in force, in number order. Public: no actor needed."""
    version = effective_year(session, year=year)
    rows = session.exec(
        select(Category, CatalogueArea)
        .join(CatalogueArea, col(CatalogueArea.id) == Category.area_id)
        .where(Category.year == version)
        .order_by(Category.number)
    ).all()
    return [CategoryEntry(area_number=a.number, area=a.name, area_en=a.name_en,
                          number=c.number, text=c.text) for c, a in rows]


def as_json_rows(entries: list[CategoryEntry]) -> list[dict]:
    return [{"area": e.area, "number": e.number, "text": e.text} for e in entries]
