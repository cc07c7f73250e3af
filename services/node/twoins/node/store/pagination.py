"""Page tokens: opaque keyset positions bound to the filter they were issued for."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from twoins.node.domain.errors import FieldViolation, InvalidArgument
from twoins.node.store.tables import (
    AssessmentRow,
    BusinessPlanRow,
    CatalogueKnowledgeRow,
    ErasureRow,
    ExpertOfferRow,
    KnowledgeItemRow,
    MailRow,
    NeedRow,
    OrganisationRow,
    ReferralRow,
)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class PagePosition:
    """The last item of the previous page, by (create_time, id) descending."""

    create_time: datetime
    id: str


@dataclass(frozen=True, slots=True)
class PageRequest:
    size: int
    after: PagePosition | None
    filter_key: str


def _filter_key(filters: object) -> str:
    return hashlib.sha256(repr(filters).encode()).hexdigest()[:16]


def page_request(page_size: int, page_token: str, filters: object) -> PageRequest:
    """Checks a List request's page size and token; `filters` identifies the filter in use."""
    if page_size < 0:
        raise InvalidArgument(
            "page_size must not be negative",
            violations=(FieldViolation("page_size", "must not be negative"),),
        )
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    key = _filter_key(filters)
    if not page_token:
        return PageRequest(size, None, key)
    try:
        data = json.loads(base64.urlsafe_b64decode(page_token.encode() + b"=="))
        position = PagePosition(datetime.fromisoformat(data["t"]), str(data["i"]))
        token_key = str(data["f"])
    except (ValueError, KeyError, TypeError):
        raise InvalidArgument(
            "page_token is not a token this service issued",
            violations=(FieldViolation("page_token", "use next_page_token of the previous page"),),
        ) from None
    if token_key != key:
        raise InvalidArgument(
            "page_token was issued for another filter",
            violations=(FieldViolation("page_token", "keep the filter unchanged while paging"),),
        )
    return PageRequest(size, position, key)


def next_page_token(request: PageRequest, last: PagePosition | None, has_more: bool) -> str:
    if not has_more or last is None:
        return ""
    data = {"t": last.create_time.isoformat(), "i": last.id, "f": request.filter_key}
    return (
        base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )


RowT = TypeVar(
    "RowT",
    OrganisationRow,
    AssessmentRow,
    BusinessPlanRow,
    NeedRow,
    ExpertOfferRow,
    ReferralRow,
    KnowledgeItemRow,
    CatalogueKnowledgeRow,
    ErasureRow,
    MailRow,
)


def fetch_page(
    session: Session,
    row_type: type[RowT],
    page: PageRequest,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> tuple[list[RowT], PagePosition | None, bool]:
    """One page of rows, newest first, by keyset on (create_time, id)."""
    create_time: InstrumentedAttribute[datetime] = row_type.create_time
    row_id: InstrumentedAttribute[str] = row_type.id
    query = select(row_type).where(*conditions)
    if page.after is not None:
        query = query.where(
            or_(
                create_time < page.after.create_time,
                and_(create_time == page.after.create_time, row_id < page.after.id),
            )
        )
    query = query.order_by(create_time.desc(), row_id.desc()).limit(page.size + 1)
    rows = list(session.scalars(query))
    has_more = len(rows) > page.size
    rows = rows[: page.size]
    last = PagePosition(rows[-1].create_time, rows[-1].id) if rows else None
    return rows, last, has_more
